// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { ConsentId, DataCategories, DeliveryId, DisclosureId, DisclosureRecipient, Purpose, ReferralId, Statute, SubjectRef, Timestamp } from './common.v1';

/**
 * Personal data about a subject was released: details by claim check (referral API) or a delivery to an external system (adapter host). Lists exactly the fields released besides their categories. Residents can ask who saw their data.
 */
export interface DisclosureDisclosedV2 {
  disclosureId: DisclosureId;
  /**
   * Whose data.
   */
  subjectRef: SubjectRef;
  /**
   * The referral the request was made for, if any.
   */
  referralId?: ReferralId;
  /**
   * The delivery to an external system this release was made for or by, if any: one entry per delivery whatever the number of attempts.
   */
  deliveryId?: DeliveryId;
  recipient: DisclosureRecipient;
  dataCategories: DataCategories;
  /**
   * Exactly the fields released (the categories' fields that were present), sorted: need codes and urgency only with need-description; routing attributes (ageBand, municipalityCode, language, legalBasis, submittedAt) of a delivery are listed too.
   */
  fields: (
    | "child"
    | "contact"
    | "guardians"
    | "description"
    | "needCodes"
    | "urgency"
    | "ageBand"
    | "municipalityCode"
    | "language"
    | "legalBasis"
    | "submittedAt"
  )[];
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
