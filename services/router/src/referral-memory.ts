import type { Redis } from 'ioredis';
import type { LegalBasis, ReferralSubmittedV1 } from '@polku/contracts';
import type { CoordinatorQuery, RoutedParty } from './domain/decide-routing';

/**
 * What the router remembers of a referral between events: the routing attributes a later reroute
 * needs and who holds it now. Only codes and ids, never personal details (DESIGN.md principle 2).
 */
export interface ReferralRecord extends CoordinatorQuery {
  referralId: string;
  legalBasis: LegalBasis;
  /** The id of the submitted event: the correlation every later event of the referral carries. */
  correlationid: string;
  /** Who holds the referral now (the lead, or the coordinator after a decline or a breach). */
  lead: RoutedParty;
  viaCoordinator: boolean;
}

export interface ReferralMemory {
  get(referralId: string): Promise<ReferralRecord | undefined>;
  put(record: ReferralRecord): Promise<void>;
}

/** Longer than any deadline plus the longest follow-up (36 months), so a late timer still finds its referral. */
const TTL_SECONDS = 4 * 366 * 24 * 60 * 60;

export function referralKey(referralId: string): string {
  return `polku:router:referral:${referralId}`;
}

export function redisReferralMemory(redis: Redis): ReferralMemory {
  return {
    async get(referralId) {
      const raw = await redis.get(referralKey(referralId));
      return raw === null ? undefined : (JSON.parse(raw) as ReferralRecord);
    },
    async put(record) {
      await redis.set(referralKey(record.referralId), JSON.stringify(record), 'EX', TTL_SECONDS);
    },
  };
}

/** The record of a freshly routed referral. */
export function recordOf(submitted: ReferralSubmittedV1, correlationid: string, lead: RoutedParty, viaCoordinator: boolean): ReferralRecord {
  const { referralId, municipalityCode, language, needCodes, ageBand, legalBasis } = submitted;
  return { referralId, municipalityCode, language, needCodes: [...needCodes], ageBand, legalBasis, correlationid, lead, viaCoordinator };
}
