// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { Party, ReferralId, Timestamp } from './common.v1';

/**
 * A service-level deadline passed without the expected step.
 */
export interface ReferralSlaBreachedV1 {
  referralId: ReferralId;
  /**
   * Which deadline: e.g. child welfare decides within 7 working days whether to assess.
   */
  sla: "routing" | "acceptance" | "first-contact" | "assessment-decision";
  /**
   * The service the deadline was on.
   */
  responsible: Party;
  /**
   * The deadline.
   */
  dueAt: Timestamp;
  /**
   * When the timer noticed.
   */
  detectedAt: Timestamp;
}
