// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { ConsentId, DataCategories, DisclosureId, DisclosureRecipient, Purpose, ReferralId, Statute, SubjectRef, Timestamp } from './common.v1';

/**
 * Vault data about a subject was released (claim check). Residents can ask who saw their data.
 */
export interface DisclosureDisclosedV1 {
  disclosureId: DisclosureId;
  /**
   * Whose data.
   */
  subjectRef: SubjectRef;
  /**
   * The referral the request was made for, if any.
   */
  referralId?: ReferralId;
  recipient: DisclosureRecipient;
  dataCategories: DataCategories;
  purpose: Purpose;
  /**
   * Why the disclosure was allowed: a consent, or a statute without consent.
   */
  basis:
    | {
        kind: "consent";
        consentId: ConsentId;
      }
    | {
        kind: "statute";
        statute: Statute;
      };
  /**
   * When the data was released.
   */
  at: Timestamp;
}
