import type { Redis } from 'ioredis';
import type { LegalBasis, ReferralSubmittedV1, Urgency } from '@polku/contracts';
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
  /**
   * The consent gate's inputs (absent in records written before the gate): the pseudonymous
   * subject reference (absent for a self-referral without one), whether the resident referred
   * themselves, the planned co-workers, and the urgency (a clock started late needs it).
   */
  subjectRef?: string;
  selfReferral?: boolean;
  coWorkers?: RoutedParty[];
  urgency?: Urgency;
}

export interface ReferralMemory {
  get(referralId: string): Promise<ReferralRecord | undefined>;
  put(record: ReferralRecord): Promise<void>;
  /**
   * Remembers recipients waiting for consent: per referral (by service id), and in the index
   * `polku:router:waiting:<subjectRef>` → referral ids, which a granted consent looks up.
   */
  addWaiting(referralId: string, subjectRef: string, parties: readonly RoutedParty[]): Promise<void>;
  /** The recipients of a referral that still wait for consent. */
  waiting(referralId: string): Promise<RoutedParty[]>;
  /** Referral ids with recipients waiting for this subject's consent. */
  waitingReferrals(subjectRef: string): Promise<string[]>;
  /** These recipients no longer wait; a referral left with none leaves the subject's index. */
  resolveWaiting(referralId: string, subjectRef: string, parties: readonly RoutedParty[]): Promise<void>;
}

/** Longer than any deadline plus the longest follow-up (36 months), so a late timer still finds its referral. */
const TTL_SECONDS = 4 * 366 * 24 * 60 * 60;

export function referralKey(referralId: string): string {
  return `polku:router:referral:${referralId}`;
}

/** Recipients of one referral waiting for consent: a hash, service id → party. */
export function awaitingKey(referralId: string): string {
  return `polku:router:awaiting:${referralId}`;
}

/** Referral ids with a recipient waiting for a subject's consent: a set. */
export function waitingIndexKey(subjectRef: string): string {
  return `polku:router:waiting:${subjectRef}`;
}

const partyField = (party: RoutedParty): string => party.serviceId ?? party.organisationId;

export function redisReferralMemory(redis: Redis): ReferralMemory {
  return {
    // Separate keys from the record, each change a single atomic command (or MULTI), so the consent
    // consumer and the referral consumer never overwrite each other's changes.
    async addWaiting(referralId, subjectRef, parties) {
      if (parties.length === 0) return;
      const fields = parties.flatMap((p) => [partyField(p), JSON.stringify(p)]);
      await redis
        .multi()
        .hset(awaitingKey(referralId), ...fields)
        .expire(awaitingKey(referralId), TTL_SECONDS)
        .sadd(waitingIndexKey(subjectRef), referralId)
        .expire(waitingIndexKey(subjectRef), TTL_SECONDS)
        .exec();
    },
    async waiting(referralId) {
      const raw = await redis.hvals(awaitingKey(referralId));
      return raw.map((p) => JSON.parse(p) as RoutedParty);
    },
    async waitingReferrals(subjectRef) {
      return redis.smembers(waitingIndexKey(subjectRef));
    },
    async resolveWaiting(referralId, subjectRef, parties) {
      if (parties.length > 0) await redis.hdel(awaitingKey(referralId), ...parties.map(partyField));
      if ((await redis.hlen(awaitingKey(referralId))) === 0) await redis.srem(waitingIndexKey(subjectRef), referralId);
    },
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
export function recordOf(submitted: ReferralSubmittedV1, correlationid: string, lead: RoutedParty, viaCoordinator: boolean, coWorkers: readonly RoutedParty[] = []): ReferralRecord {
  const { referralId, municipalityCode, language, needCodes, ageBand, legalBasis, urgency, subjectRef } = submitted;
  return {
    referralId, municipalityCode, language, needCodes: [...needCodes], ageBand, legalBasis, correlationid, lead, viaCoordinator,
    ...(subjectRef === undefined ? {} : { subjectRef }),
    selfReferral: isSelfReferral(submitted),
    coWorkers: coWorkers.map((p) => ({ ...p })),
    urgency,
  };
}

/** A resident's own request (submitter role `resident`): no consent gate. */
export function isSelfReferral(submitted: Pick<ReferralSubmittedV1, 'submitter'>): boolean {
  return submitted.submitter.role === 'resident';
}
