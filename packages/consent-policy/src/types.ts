import type { ConsentGrantedV1, DataCategory, LegalBasis, Purpose, Sector, Statute } from '@polku/contracts';

export type ConsentStatus = 'active' | 'withdrawn' | 'expired';

/**
 * A consent (permission or ban) as the ledger holds it: the data of its latest event
 * (granted, withdrawn or expired), which always carries the whole record.
 */
export type ConsentRecord = Omit<ConsentGrantedV1, 'status'> & { status: ConsentStatus };

/** Who would receive the data, as the catalogue knows them. */
export interface DisclosureRecipient {
  organisationId: string;
  serviceId?: string;
  /** The recipient's sector (the service's when it has its own, else the organisation's). */
  sector: Sector;
  /**
   * Statutes under which the named service takes data without consent (catalogue
   * `acceptsStatutory`). When given, a statute must also be listed here to apply.
   * @defaultValue not narrowed: the sector rule alone decides
   */
  acceptsStatutory?: readonly Statute[];
}

export interface DisclosureRequest {
  subjectRef: string;
  recipient: DisclosureRecipient;
  dataCategories: readonly DataCategory[];
  purpose: Purpose;
  /** `consent` or absent: consent decides. A statute may allow disclosure without consent. */
  legalBasis?: LegalBasis;
  at: Date;
}

export type DisclosureBasis = { kind: 'consent'; consentIds: string[] } | { kind: 'statute'; statute: string };

export type RefusalReason = 'no-consent' | 'banned' | 'expired' | 'withdrawn' | 'not-covered';

export type Decision =
  | { allowed: true; basis: DisclosureBasis; /** The requested categories that may be disclosed. */ dataCategories: DataCategory[] }
  | { allowed: false; reason: RefusalReason; /** Why, for the professional and the log; never personal data. */ detail: string };
