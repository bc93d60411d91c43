import type { Sql } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import type { RouterTimers } from '../handlers/router-timers';

export interface ReconciledTimers {
  /** SLA deadline jobs added again. */
  sla: number;
  /** Follow-up jobs added again. */
  followUps: number;
}

/**
 * Gives BullMQ back the jobs it lost: every deadline and follow-up the memory (`router_timers`)
 * says is set, and that Redis does not have, is added again with its job id, data and due time
 * (one already due fires at once). A job Redis still has is left as it is, so this is safe at any
 * time: at every start, and whenever Redis was found emptied. A job added back for a timer stopped
 * meanwhile does nothing when it fires (it checks the timer's row first).
 */
export async function reconcileTimers(sql: Sql, timers: RouterTimers, now: Date, logger: Logger): Promise<ReconciledTimers> {
  const sla = await timers.sla.reconcile(sql, now);
  const followUps = await timers.followUps.reconcile(sql, now);
  if (sla + followUps > 0) logger.warn({ sla, followUps }, 'timer jobs Redis had lost were added again from the memory');
  return { sla, followUps };
}
