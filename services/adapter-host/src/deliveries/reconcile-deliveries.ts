import type { Sql } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import type { Queue } from 'bullmq';
import type { DeliveryJobData } from '../domain/delivery-job';
import { referralStore } from '../store/referral-store';
import { enqueueDelivery } from './delivery-queue';

export interface ReconcileOptions {
  db: Sql;
  queue: Queue<DeliveryJobData>;
  /** Attempts of a job added again, as configured for new ones. */
  attempts: number;
  logger: Logger;
}

export interface Reconciled {
  /** Recipients whose state is `queued`. */
  queued: number;
  /** Jobs that were missing and were added again. */
  added: number;
}

/**
 * Gives every recipient whose state is `queued` its BullMQ job back, with the same job id (the
 * delivery id) and the plan the ledger keeps, so a Redis that lost its keys loses no delivery.
 * A job that still exists is left alone, unless it ended failed (a queued recipient's job must
 * not have), so running this at any time is harmless. The worker asks the consent service again
 * before it sends, and sends nothing the ledger says was made.
 */
export async function reconcileDeliveries(options: ReconcileOptions): Promise<Reconciled> {
  const plans = await referralStore(options.db).queuedPlans();
  let added = 0;
  for (const plan of plans) {
    // A queued recipient's job that ended failed was stopped in the instant it was queued again: it is replaced.
    if (await enqueueDelivery(options.queue, plan, { attempts: options.attempts, replaceFailed: true })) added += 1;
  }
  if (added > 0) options.logger.warn({ queued: plans.length, added }, 'delivery jobs added again from the ledger: Redis had lost them');
  else options.logger.info({ queued: plans.length }, 'delivery jobs reconciled: none missing');
  return { queued: plans.length, added };
}
