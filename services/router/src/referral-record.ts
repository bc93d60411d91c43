import type { LegalBasis, ReferralSubmittedV1, Urgency } from '@polku/contracts';
import type { CoordinatorQuery, RoutedParty } from './domain/decide-routing';

/**
 * What the router remembers of a referral between events: the routing attributes a later reroute
 * needs and who holds it now. Only codes and ids, never personal details (DESIGN.md principle 2).
 */
export interface ReferralRecord extends ReferralAttributes {
  /** Who holds the referral now (the lead, or the coordinator after a decline or a breach). */
  lead: RoutedParty;
  viaCoordinator: boolean;
  /** The planned co-workers (absent only in a snapshot an SLA job took before the consent gate existed). */
  coWorkers?: RoutedParty[];
}

/** What the submitted event says of a referral: everything of its record but the plan. */
export interface ReferralAttributes extends CoordinatorQuery {
  referralId: string;
  legalBasis: LegalBasis;
  /** The id of the submitted event: the correlation every later event of the referral carries. */
  correlationid: string;
  /**
   * The consent gate's inputs: the pseudonymous subject reference (absent for a self-referral
   * without one), whether the resident referred themselves, and the urgency (a clock started late
   * needs it). The last two are absent only in snapshots SLA jobs took before the consent gate existed.
   */
  subjectRef?: string;
  selfReferral?: boolean;
  urgency?: Urgency;
  /**
   * The organisation that submitted the referral: the discloser a permission's `disclosers` must
   * cover. Absent in records kept before it was remembered (the discloser is then not checked).
   */
  submitterOrganisationId?: string;
}

/** The attributes of a submitted referral, without a plan (a replay reads the plan from the router's own routed event). */
export function attributesOf(submitted: ReferralSubmittedV1, correlationid: string): ReferralAttributes {
  const { referralId, municipalityCode, language, needCodes, ageBand, legalBasis, urgency, subjectRef } = submitted;
  return {
    referralId, municipalityCode, language, needCodes: [...needCodes], ageBand, legalBasis, correlationid,
    ...(subjectRef === undefined ? {} : { subjectRef }),
    selfReferral: isSelfReferral(submitted),
    urgency,
    submitterOrganisationId: submitted.submitter.organisationId,
  };
}

/** The record of a freshly routed referral. */
export function recordOf(submitted: ReferralSubmittedV1, correlationid: string, lead: RoutedParty, viaCoordinator: boolean, coWorkers: readonly RoutedParty[] = []): ReferralRecord {
  return { ...attributesOf(submitted, correlationid), lead, viaCoordinator, coWorkers: coWorkers.map((p) => ({ ...p })) };
}

/**
 * A resident's own request (submitter role `resident`): no consent gate. The referral API sets
 * that role only for a person identified through the resident e-service's key and its verified
 * assertion, referring themselves; a guardian's referral about a child is `guardian`, and is gated
 * like any other (the child's own bans are consulted).
 */
export function isSelfReferral(submitted: Pick<ReferralSubmittedV1, 'submitter'>): boolean {
  return submitted.submitter.role === 'resident';
}
