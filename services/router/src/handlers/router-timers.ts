import type { FollowUpQueue } from '../timers/follow-up-queue';
import type { SlaQueue } from '../timers/sla-queue';

/** The router's two clocks, as the event handlers see them. */
export interface RouterTimers {
  sla: SlaQueue;
  followUps: FollowUpQueue;
}
