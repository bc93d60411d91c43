// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { AdapterId, DeliveryId, Party, ReferralId, Timestamp } from './common.v1';

/**
 * The referral reached the recipient's system.
 */
export interface ReferralDeliveredV1 {
  referralId: ReferralId;
  deliveryId: DeliveryId;
  recipient: Party;
  adapterId: AdapterId;
  /**
   * When the recipient system acknowledged it.
   */
  deliveredAt: Timestamp;
}
