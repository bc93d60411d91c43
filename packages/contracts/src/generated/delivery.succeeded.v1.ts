// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { AdapterId, DeliveryId, OpaqueRef, Party, ReferralId, Timestamp } from './common.v1';

/**
 * An adapter delivered a referral to a sector system.
 */
export interface DeliverySucceededV1 {
  deliveryId: DeliveryId;
  referralId: ReferralId;
  adapterId: AdapterId;
  recipient: Party;
  /**
   * Attempts made so far, this one included.
   */
  attempts: number;
  /**
   * The receiving system's own id for the delivery, if it gave one.
   */
  externalRef?: OpaqueRef;
  /**
   * When the system acknowledged it.
   */
  succeededAt: Timestamp;
}
