// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Timestamp } from './common.v1';

/**
 * How an operator's action ended: appended to the audit topic after the action's `requested` event, with the same action id.
 */
export interface OperatorActionCompletedV1 {
  /**
   * Names the action: its outcome event carries the same id.
   */
  actionId: string;
  /**
   * What the operator did.
   */
  action:
    | "dead-letter.replay"
    | "dead-letter.park"
    | "dead-letter.bulk-replay"
    | "dead-letter.bulk-cancel"
    | "api-key.revoke";
  /**
   * succeeded, failed (errorCode says why), or cancelled (a bulk replay stopped by an operator).
   */
  outcome: "succeeded" | "failed" | "cancelled";
  /**
   * Why it failed.
   */
  errorCode?: string;
  /**
   * What a bulk replay did.
   */
  counts?: {
    replayed: number;
    skipped?: number;
    failed?: number;
  };
  completedAt: Timestamp;
}
