// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { DataCategories, Party, Purpose, ReferralId, Timestamp } from './common.v1';

/**
 * Delivery to a recipient waits for the client's disclosure permission (luovutuslupa).
 */
export interface ReferralAwaitingConsentV1 {
  referralId: ReferralId;
  /**
   * Who the referral would be disclosed to.
   */
  recipient: Party;
  dataCategories: DataCategories;
  purpose: Purpose;
  /**
   * When consent was asked for.
   */
  requestedAt: Timestamp;
}
