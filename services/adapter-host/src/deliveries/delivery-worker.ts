import { RejectedDeliveryError, type DeliveryReceipt, type SectorAdapter } from '@polku/adapter-kit';
import { PolkuError, type Logger } from '@polku/service-kit';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { nextDelayMs, type BackoffSettings } from '../domain/backoff';
import type { DeliveryJobData } from '../domain/delivery-job';
import { DELIVERY_QUEUE } from './delivery-queue';
import type { deliveryOutcomes } from './delivery-outcomes';

export interface DeliveryWorkerOptions {
  connection: Redis;
  prefix: string;
  adapters: readonly SectorAdapter[];
  outcomes: ReturnType<typeof deliveryOutcomes>;
  backoff: BackoffSettings;
  logger: Logger;
  /** Deliveries in flight at once. @defaultValue 4 */
  concurrency?: number;
}

/** A final failure is one the system refused, or the last attempt allowed. */
function isFinal(error: unknown, attempt: number, job: Job<DeliveryJobData>): boolean {
  return error instanceof RejectedDeliveryError || (error instanceof PolkuError && !error.retryable) || attempt >= (job.opts.attempts ?? 1);
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJobData> {
  const adapters = new Map(options.adapters.map((adapter) => [adapter.id, adapter]));
  const signal = new AbortController().signal;

  const process = async (job: Job<DeliveryJobData>) => {
    const { delivery, adapterId } = job.data;
    const attempt = job.attemptsMade + 1;
    const logger = options.logger.child({ deliveryId: delivery.deliveryId, referralId: delivery.referralId, adapterId, attempt });
    const adapter = adapters.get(adapterId);
    let receipt: DeliveryReceipt;
    try {
      if (!adapter) throw new PolkuError('ADAPTER_UNKNOWN', `no adapter ${adapterId} is registered`);
      receipt = await adapter.deliver(delivery, { attempt, signal, logger });
    } catch (error) {
      return failed(job, error, attempt, logger);
    }
    // Outside the try: if publishing fails the job is retried, and the system sees the same idempotency key again.
    await options.outcomes.succeeded(job.data, receipt, attempt);
    logger.info({ attempts: attempt }, 'delivered');
    return receipt;
  };

  const failed = async (job: Job<DeliveryJobData>, error: unknown, attempt: number, logger: Logger): Promise<never> => {
    const firstFailureAt = job.data.firstFailureAt ?? new Date().toISOString();
    if (!isFinal(error, attempt, job)) {
      if (!job.data.firstFailureAt) await job.updateData({ ...job.data, firstFailureAt });
      logger.warn({ err: error }, 'delivery attempt failed, will retry');
      throw error;
    }
    // Reported inside the job, so a bus failure fails the report loudly instead of vanishing in an event listener.
    await options.outcomes.failed(job.data, error, attempt, new Date(firstFailureAt));
    logger.error({ err: error, attempts: attempt }, 'delivery failed for good, dead-lettered');
    throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
  };

  return new Worker<DeliveryJobData>(DELIVERY_QUEUE, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    settings: { backoffStrategy: (attemptsMade, _type, error) => nextDelayMs(attemptsMade, error, options.backoff) },
  });
}
