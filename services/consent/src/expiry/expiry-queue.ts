import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConsentRecord } from '@polku/consent-policy';
import { timerJobOptions, type Logger } from '@polku/service-kit';
import { inJobSpan, jobTrace, watchQueue } from '@polku/telemetry';

export const EXPIRY_QUEUE = 'polku-consent-expiry';

interface ExpiryJob {
  consentId: string;
  dueAt: string;
  /** The span that set it (the consent's grant): the expiry continues that trace. */
  traceparent?: string;
}

/**
 * One delayed BullMQ job per consent with a validUntil, due then. The jobs live in Redis, so
 * they outlive the process; a worker started after a restart runs whatever fell due meanwhile.
 */
export interface ExpiryQueue {
  /** Sets the consent's timer; a no-op while its job exists (so safe at every rebuild). */
  schedule(record: ConsentRecord, now: Date): Promise<void>;
  /** Starts taking due jobs. Called once the projection has caught up, so the worker reads a full state. */
  startWorker(onDue: (consentId: string, jobId: string) => Promise<void>): void;
  /** Stops taking jobs, lets the running one finish, then closes the queue. */
  close(): Promise<void>;
}

/** BullMQ refuses ':' in custom ids, so a dash. */
export const expiryJobId = (consentId: string): string => `expire-${consentId}`;

/** Fired jobs stay a while, so a late schedule of the same consent stays a no-op. */
const KEEP_DONE_SECONDS = 30 * 24 * 60 * 60;

export function createExpiryQueue(options: { connection: Redis; prefix: string; logger: Logger }): ExpiryQueue {
  const { connection, prefix, logger } = options;
  const queue = new Queue<ExpiryJob>(EXPIRY_QUEUE, { connection, prefix });
  queue.on('error', (err) => logger.error({ err, queue: EXPIRY_QUEUE }, 'expiry queue error'));
  const unwatch = watchQueue(queue);
  let worker: Worker<ExpiryJob> | undefined;

  return {
    async schedule(record, now) {
      if (record.status !== 'active' || record.validUntil === undefined) return;
      const options = timerJobOptions(expiryJobId(record.consentId), new Date(record.validUntil), now, KEEP_DONE_SECONDS);
      await queue.add('expire', { consentId: record.consentId, dueAt: record.validUntil, ...jobTrace() }, options);
    },
    startWorker(onDue) {
      worker = new Worker<ExpiryJob>(EXPIRY_QUEUE, (job: Job<ExpiryJob>) => inJobSpan(EXPIRY_QUEUE, job, () => onDue(job.data.consentId, job.id ?? expiryJobId(job.data.consentId))), { connection, prefix });
      worker.on('error', (err) => logger.error({ err, queue: EXPIRY_QUEUE }, 'expiry worker error'));
      worker.on('failed', (job, err) => logger.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'expiry job failed'));
    },
    async close() {
      unwatch();
      await worker?.close();
      await queue.close();
    },
  };
}

/**
 * Sets the timer of every active consent with an end, from the records (after Redis lost its keys,
 * or at start): one job id per consent, so the ones that exist are left as they are.
 * @returns how many active consents with an end there are
 */
export async function reconcileExpiries(store: { expiring(): Promise<ConsentRecord[]> }, expiry: ExpiryQueue, now: Date): Promise<number> {
  const records = await store.expiring();
  for (const record of records) await expiry.schedule(record, now);
  return records.length;
}
