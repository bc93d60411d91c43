// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { AdapterId, DeliveryId, Party, ReferralId, Timestamp } from './common.v1';

/**
 * An adapter gave up delivering (or an attempt failed, see lastError.retryable).
 */
export interface DeliveryFailedV1 {
  deliveryId: DeliveryId;
  referralId: ReferralId;
  adapterId: AdapterId;
  recipient: Party;
  /**
   * Attempts made so far, this one included.
   */
  attempts: number;
  /**
   * The last error; a code, never the remote message, which may echo personal data.
   */
  lastError: {
    /**
     * Stable error code of the adapter.
     */
    code: string;
    /**
     * HTTP status from the sector system, when there was one.
     */
    httpStatus?: number;
    /**
     * Whether another attempt may succeed.
     */
    retryable: boolean;
  };
  /**
   * When the attempt failed.
   */
  failedAt: Timestamp;
}
