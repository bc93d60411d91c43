import { ConsentMissingError, RejectedDeliveryError, type DeliveryReceipt, type SectorAdapter } from '@polku/adapter-kit';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { PolkuError, type Logger } from '@polku/service-kit';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { nextDelayMs, type BackoffSettings } from '../domain/backoff';
import type { DeliveryJobData } from '../domain/delivery-job';
import { disclosureGate } from '../domain/disclosure-gate';
import { recipientKey } from '../domain/plan-deliveries';
import type { ReferralStore } from '../store/referral-store';
import { DELIVERY_QUEUE } from './delivery-queue';
import type { deliveryOutcomes } from './delivery-outcomes';

export interface DeliveryWorkerOptions {
  connection: Redis;
  prefix: string;
  adapters: readonly SectorAdapter[];
  outcomes: ReturnType<typeof deliveryOutcomes>;
  /** Asked before every attempt: a withdrawal or expiry stops a delivery not yet made. */
  decider: ConsentDecider;
  store: ReferralStore;
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
      await checkConsent(job);
      receipt = await adapter.deliver(delivery, { attempt, signal, logger });
    } catch (error) {
      return failed(job, error, attempt, logger);
    }
    // Outside the try: if publishing fails the job is retried, and the system sees the same idempotency key again.
    await options.outcomes.succeeded(job.data, receipt, attempt);
    await options.store.markRecipient(delivery.referralId, recipientKey(delivery.recipient), { state: 'delivered', deliveryId: delivery.deliveryId });
    logger.info({ attempts: attempt }, 'delivered');
    return receipt;
  };

  /**
   * Before any request: does consent (or statute, or a self-referral) still cover the recipient?
   * A refusal throws ConsentMissingError; no answer throws ConsentUnavailable (retried, never sent).
   */
  const checkConsent = async (job: Job<DeliveryJobData>): Promise<void> => {
    const { delivery } = job.data;
    // Jobs queued before the consent check carry no subject: read it from the host's state.
    const subject = job.data.subject ?? (await options.store.subject(delivery.referralId));
    if (!subject) throw new ConsentMissingError(`nothing is known of whom referral ${delivery.referralId} is about`, { reason: 'no-consent' });
    const gate = await disclosureGate(options.decider, subject, delivery.recipient);
    if (!gate.allowed) throw new ConsentMissingError(`consent does not cover delivery ${delivery.deliveryId} (${gate.reason})`, { reason: gate.reason });
  };

  const failed = async (job: Job<DeliveryJobData>, error: unknown, attempt: number, logger: Logger): Promise<never> => {
    const firstFailureAt = job.data.firstFailureAt ?? new Date().toISOString();
    if (error instanceof ConsentMissingError) {
      // Stopped, not broken: reported, not dead-lettered (there is nothing to fix and replay). A new
      // routed event after consent is granted queues the delivery again.
      const { delivery } = job.data;
      await options.outcomes.consentMissing(job.data, error, attempt);
      await options.store.markRecipient(delivery.referralId, recipientKey(delivery.recipient), { state: 'stopped', deliveryId: delivery.deliveryId, ...(error.reason ? { reason: error.reason } : {}) });
      logger.warn({ code: error.code, reason: error.reason, attempts: attempt }, 'delivery stopped: consent does not cover the recipient');
      throw new UnrecoverableError(error.code);
    }
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
