import type { LegalBasis, Party } from '@polku/contracts';

/** Lifecycle verbs: the latest one is the referral's state. */
export const LIFECYCLE_VERBS = [
  'submitted', 'routed', 'awaiting-consent', 'delivered', 'accepted', 'declined', 'contact-made', 'forwarded', 'closed', 'cancelled',
] as const;
/** Timer verbs: they go into the timeline without changing the state. */
export const TIMER_VERBS = ['sla-breached', 'follow-up-due'] as const;

export type LifecycleVerb = (typeof LIFECYCLE_VERBS)[number];
export type TimelineVerb = LifecycleVerb | (typeof TIMER_VERBS)[number];

/** One step of the timeline: when, what, and small non-personal facts about who. */
export interface TimelineEntry {
  at: string;
  type: TimelineVerb;
  eventId: string;
  lead?: Party;
  coWorkers?: Party[];
  /** The routing rule that decided, e.g. `sla-breached` when the deadline passed and a coordinator took over. */
  ruleId?: string;
  viaCoordinator?: boolean;
  recipient?: Party;
  deliveryId?: string;
  /** Delivery attempts, this one included: from the event, or from `delivery.succeeded`. */
  attempts?: number;
  by?: Party;
  reasonCode?: string;
  channel?: string;
  from?: Party;
  to?: Party;
  sla?: string;
  dueAt?: string;
}

/** The one status of a referral, projected from the referral topic. */
export interface StatusRecord {
  referralId: string;
  state: LifecycleVerb;
  /** Absent only when the submitted event was never seen (e.g. the topic was trimmed). */
  submitterOrganisationId?: string;
  submittedAt?: string;
  /** Facts of `submitted` the claim check needs: whose details (absent for a self-referral without an identity code), under what basis, by what role. */
  subjectRef?: string;
  legalBasis?: LegalBasis;
  submitterRole?: string;
  /** Routing codes, not personal: answered with released details. */
  needCodes?: string[];
  urgency?: string;
  /** The family's one contact: the latest routed lead, or whoever a referral was forwarded to. */
  lead?: Party;
  /** Organisations the referral was routed, forwarded or delivered to: they may read the status. */
  readers: string[];
  timeline: TimelineEntry[];
}
