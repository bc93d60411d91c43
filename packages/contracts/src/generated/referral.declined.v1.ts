// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * The recipient service declined the referral; routing may pick another.
 */
export interface ReferralDeclinedV1 {
  referralId: ReferralId;
  /**
   * The declining service.
   */
  by: Party;
  /**
   * Why, as a code; never free text.
   */
  reasonCode: "not-in-scope" | "no-capacity" | "already-client" | "insufficient-information" | "other-service-better";
  /**
   * When it was declined.
   */
  declinedAt: Timestamp;
}
