// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * The lead service reached the family.
 */
export interface ReferralContactMadeV1 {
  referralId: ReferralId;
  /**
   * The service that made contact.
   */
  by: Party;
  /**
   * How contact was made.
   */
  channel: "phone" | "meeting" | "video" | "message" | "home-visit";
  /**
   * When contact was made.
   */
  madeAt: Timestamp;
}
