// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { ReferralId, Timestamp } from './common.v1';

/**
 * The referral was withdrawn before it ended normally.
 */
export interface ReferralCancelledV1 {
  referralId: ReferralId;
  /**
   * Why, as a code.
   */
  reasonCode: "withdrawn-by-resident" | "withdrawn-by-submitter" | "duplicate" | "entered-in-error";
  /**
   * When it was cancelled.
   */
  cancelledAt: Timestamp;
}
