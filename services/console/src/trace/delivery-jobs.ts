import type { Queue } from 'bullmq';
import { withDeadline } from '@polku/service-kit';
import type { DeliveryJob } from '../domain/build-trace';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

/**
 * The live jobs of these deliveries in the adapter host's queue (job id = delivery id): state and
 * attempts only. The job's data and failure text are not read: codes come from the topics.
 */
export async function deliveryJobs(queue: Queue, deliveryIds: readonly string[]): Promise<DeliveryJob[]> {
  const jobs = await withDeadline(
    Promise.all(deliveryIds.map(async (deliveryId): Promise<DeliveryJob | undefined> => {
      const job = await queue.getJob(deliveryId);
      if (!job) return undefined;
      return { deliveryId, state: String(await job.getState()), attemptsMade: job.attemptsMade, createdAt: iso(job.timestamp), lastAttemptAt: iso(job.processedOn), finishedAt: iso(job.finishedOn) };
    })),
    1500,
    'the delivery queue',
  );
  return jobs.filter((job): job is DeliveryJob => job !== undefined);
}
