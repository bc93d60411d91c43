// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * The referral ended; a follow-up check may be scheduled ("long enough").
 */
export interface ReferralClosedV1 {
  referralId: ReferralId;
  /**
   * Why the referral ended.
   */
  reason: "helped" | "declined" | "unreachable" | "redirected" | "moved";
  /**
   * The service that closed it.
   */
  closedBy: Party;
  /**
   * When the follow-up check is due, if one was scheduled.
   */
  followUpDueAt?: Timestamp;
  /**
   * When it was closed.
   */
  closedAt: Timestamp;
}
