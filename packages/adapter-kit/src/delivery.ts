import type { AgeBand, Language, LegalBasis, MunicipalityCode, NeedCodes, Party, Timestamp, Urgency } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';

/**
 * The routing facts of a referral that may travel to a sector system: codes and bands,
 * never a person. Personal details are fetched separately by claim check.
 */
export interface ReferralFacts {
  needCodes: NeedCodes;
  urgency: Urgency;
  municipalityCode: MunicipalityCode;
  ageBand: AgeBand;
  language: Language;
  legalBasis: LegalBasis;
  submittedAt: Timestamp;
}

/** One referral going to one recipient service through one adapter. */
export interface Delivery {
  /** Stable across retries and redeliveries; the receiving system's idempotency key. */
  deliveryId: string;
  referralId: string;
  /** Whether the recipient leads (the family's one contact) or works with the lead. */
  role: 'lead' | 'co-worker';
  recipient: Party;
  referral: ReferralFacts;
  /** Where the system calls back to accept, decline, record contact or close. */
  callbackUrl: string;
}

/** What an adapter gets with each attempt. */
export interface DeliveryContext {
  /** 1 on the first attempt, then 2, 3, ... */
  attempt: number;
  /** Aborted when the host shuts down; pass it on to the request. */
  signal: AbortSignal;
  logger: Logger;
}

/** What the receiving system answered on success. */
export interface DeliveryReceipt {
  /** The system's own id for the delivery, when it gives one (opaque, no personal data). */
  externalRef?: string;
  /** The system's HTTP status (2xx), for the delivery's attempt log; never its body. */
  httpStatus?: number;
}
