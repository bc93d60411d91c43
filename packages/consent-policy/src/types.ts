import type { ConsentGrantedV2, ConsentWithdrawnV2, DataCategory, LegalBasis, Party, Purpose, Sector, Statute } from '@polku/contracts';

export type ConsentStatus = 'active' | 'withdrawn' | 'expired';

/**
 * A consent (permission or ban) as the ledger holds it: the data of its latest event
 * (granted, withdrawn or expired), which always carries the whole record. v2 shape; a record
 * first written as v1 reads as one too (no grantor reference, no `recordedBy.systemId`).
 */
export type ConsentRecord = Omit<ConsentGrantedV2, 'status'> & {
  status: ConsentStatus;
  /** Who withdrew it and why (v2 withdrawals only). */
  withdrawal?: ConsentWithdrawnV2['withdrawal'];
};

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
  /**
   * Who would disclose (the organisation, and its service when known). When given, a permission
   * counts only if its `disclosers` cover this party; bans apply whoever discloses.
   * @defaultValue not checked (callers that do not yet know the discloser; see README.md)
   */
  discloser?: Party;
  /** `consent` or absent: consent decides. A statute may allow disclosure without consent. */
  legalBasis?: LegalBasis;
  at: Date;
}

export type DisclosureBasis = { kind: 'consent'; consentIds: string[] } | { kind: 'statute'; statute: string };

export type RefusalReason = 'no-consent' | 'banned' | 'expired' | 'withdrawn' | 'not-covered';

export type Decision =
  | { allowed: true; basis: DisclosureBasis; /** The requested categories that may be disclosed. */ dataCategories: DataCategory[] }
  | { allowed: false; reason: RefusalReason; /** Why, for the professional and the log; never personal data. */ detail: string };
