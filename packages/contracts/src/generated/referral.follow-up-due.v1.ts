// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * A follow-up check after closing is due.
 */
export interface ReferralFollowUpDueV1 {
  referralId: ReferralId;
  /**
   * The service that does the follow-up.
   */
  lead: Party;
  /**
   * When the follow-up is due.
   */
  dueAt: Timestamp;
}
