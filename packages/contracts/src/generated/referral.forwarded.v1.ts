// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * The lead service handed the referral over to another service (handoff).
 */
export interface ReferralForwardedV1 {
  referralId: ReferralId;
  /**
   * The service handing over.
   */
  from: Party;
  /**
   * The service taking over as lead.
   */
  to: Party;
  /**
   * When it was handed over.
   */
  forwardedAt: Timestamp;
}
