// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { ConsentId, ConsentRecipient, DataCategories, Grantor, LegalFramework, OpaqueRef, Party, Purposes, Recorder, SubjectRef, Timestamp } from './common.v1';

/**
 * A consent was withdrawn. Carries the whole record as it now stands.
 */
export interface ConsentWithdrawnV1 {
  consentId: ConsentId;
  /**
   * Whose data the consent is about.
   */
  subjectRef: SubjectRef;
  /**
   * Disclosure permission (luovutuslupa) or ban (luovutuskielto).
   */
  kind: "permission" | "ban";
  grantor: Grantor;
  /**
   * True when a minor able to understand the matter decided personally; a guardian cannot override.
   */
  minorDecidesPersonally: boolean;
  /**
   * Who may disclose.
   *
   * @minItems 1
   */
  disclosers: [Party, ...Party[]];
  /**
   * Who may (or, for a ban, may not) receive: named parties or whole sectors.
   *
   * @minItems 1
   */
  recipients: [ConsentRecipient, ...ConsentRecipient[]];
  dataCategories: DataCategories;
  purposes: Purposes;
  legalFramework: LegalFramework;
  /**
   * Start of validity.
   */
  validFrom: Timestamp;
  /**
   * End of validity; absent when open-ended.
   */
  validUntil?: Timestamp;
  /**
   * How the consent was given.
   */
  form: "written" | "oral" | "electronic";
  recordedBy: Recorder;
  /**
   * Reference to the evidence (signed form, record entry).
   */
  evidenceRef?: OpaqueRef;
  /**
   * Status after this change.
   */
  status: "withdrawn";
  /**
   * When it was withdrawn.
   */
  changedAt: Timestamp;
}
