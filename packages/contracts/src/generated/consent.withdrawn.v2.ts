// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { ConsentId, ConsentRecipient, DataCategories, LegalFramework, OpaqueRef, OrganisationId, Party, ProfessionalRef, Purposes, SubjectRef, SystemId, Timestamp } from './common.v1';

/**
 * A consent was withdrawn. Carries the whole record as it now stands. v2: the grantor's pseudonymous reference, the recording system, and who withdrew and why.
 */
export interface ConsentWithdrawnV2 {
  consentId: ConsentId;
  /**
   * Whose data the consent is about.
   */
  subjectRef: SubjectRef;
  /**
   * Disclosure permission (luovutuslupa) or ban (luovutuskielto).
   */
  kind: "permission" | "ban";
  /**
   * Who gave or declared the consent: role, and the grantor's pseudonymous reference when the recorder knew their identity code.
   */
  grantor: {
    role: "self" | "guardian" | "legal-representative";
    /**
     * Pseudonymous person reference: 'pr_' + base64url HMAC-SHA256 of the person's identity code under the consent service's own key. Never the code itself; not reversible without the key.
     */
    ref?: string;
  };
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
  /**
   * The recording organisation and system (from its API key), and the professional when one recorded it. systemId is absent only on records first written as v1.
   */
  recordedBy: {
    organisationId: OrganisationId;
    systemId?: SystemId;
    professionalRef?: ProfessionalRef;
    /**
     * resident-e-service when the person recorded it themself through the resident e-service.
     */
    channel?: "professional" | "resident-e-service";
  };
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
  /**
   * Who withdrew the consent and why.
   */
  withdrawal: {
    by:
      | {
          kind: "person";
          /**
           * Pseudonymous person reference: 'pr_' + base64url HMAC-SHA256 of the person's identity code under the consent service's own key. Never the code itself; not reversible without the key.
           */
          personRef: string;
          role: "self" | "guardian" | "legal-representative";
        }
      | {
          kind: "organisation";
          organisationId: OrganisationId;
          systemId: SystemId;
        };
    /**
     * Why: the grantor asked, it was recorded in error, a new consent replaces it, or another reason.
     */
    reason: "grantor-request" | "recorded-in-error" | "superseded" | "other";
    at: Timestamp;
  };
}
