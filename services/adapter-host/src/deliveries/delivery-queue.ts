import type { Queue } from 'bullmq';
import type { DeliveryJobData } from '../domain/delivery-job';

/** The one queue of outbound deliveries; jobs of every adapter share it. */
export const DELIVERY_QUEUE = 'polku-deliveries';
/** Names the host's own strategy in job options (`backoff.type`); the worker implements it. */
export const BACKOFF_TYPE = 'polku-delivery';

export interface EnqueueSettings {
  attempts: number;
  /**
   * Replace a job that ended failed (it was stopped because consent did not cover the
   * recipient, and now it does). Any other existing job is left alone.
   */
  replaceFailed?: boolean;
}

/**
 * Adds a delivery job whose id is the delivery id: adding it again (a routed event handled
 * twice, a rebuild, reconciliation) is a no-op while the job is kept. Completed jobs are kept
 * 30 days; past that the delivery ledger in PostgreSQL is what says a delivery was made.
 * @returns whether a new job was added
 */
export async function enqueueDelivery(queue: Queue<DeliveryJobData>, data: DeliveryJobData, settings: EnqueueSettings): Promise<boolean> {
  const jobId = data.delivery.deliveryId;
  const existing = await queue.getJob(jobId);
  if (existing) {
    if (!settings.replaceFailed || !(await existing.isFailed())) return false;
    await existing.remove();
  }
  await queue.add(data.adapterId, data, {
    jobId,
    attempts: settings.attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: 30 * 24 * 3600 },
    removeOnFail: { age: 90 * 24 * 3600 },
  });
  return true;
}
