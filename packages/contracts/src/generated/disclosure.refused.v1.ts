// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { DataCategories, DisclosureId, DisclosureRecipient, Purpose, ReferralId, SubjectRef, Timestamp } from './common.v1';

/**
 * A request for vault data was refused; refusals are logged like releases.
 */
export interface DisclosureRefusedV1 {
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
   * Why it was refused.
   */
  reasonCode:
    | "no-consent"
    | "consent-withdrawn"
    | "consent-expired"
    | "ban-in-force"
    | "category-not-covered"
    | "purpose-not-covered"
    | "recipient-not-covered";
  /**
   * When the request was refused.
   */
  at: Timestamp;
}
