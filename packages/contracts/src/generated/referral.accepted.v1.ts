// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * The recipient service took the referral on.
 */
export interface ReferralAcceptedV1 {
  referralId: ReferralId;
  /**
   * The accepting service.
   */
  by: Party;
  /**
   * When first contact with the family is due, if the service set it.
   */
  contactDueBy?: Timestamp;
  /**
   * When it was accepted.
   */
  acceptedAt: Timestamp;
}
