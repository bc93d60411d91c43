import { ConsentMissingError, DetailsNotReadyError, RejectedDeliveryError, RetryableDeliveryError, type DeliveryReceipt, type SectorAdapter } from '@polku/adapter-kit';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { Sql } from '@polku/db';
import { errorCode, PolkuError, type Logger } from '@polku/service-kit';
import { inJobSpan } from '@polku/telemetry';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { nextDelayMs, type BackoffSettings } from '../domain/backoff';
import type { DeliveryDisclosure, DeliveryJobData, PendingOutcome } from '../domain/delivery-job';
import { disclosureGate } from '../domain/disclosure-gate';
import { deliveryRelease } from '../domain/plan-deliveries';
import { attemptLog, type AttemptOutcome } from '../store/attempt-log';
import { referralStore } from '../store/referral-store';
import { DELIVERY_QUEUE } from './delivery-queue';
import { deadLetterMessage, lastErrorOf, type DeliveryOutcomes } from './delivery-outcomes';

export interface DeliveryWorkerOptions {
  connection: Redis;
  prefix: string;
  adapters: readonly SectorAdapter[];
  outcomes: DeliveryOutcomes;
  /** Asked before every attempt: a withdrawal or expiry stops a delivery not yet made. */
  decider: ConsentDecider;
  /** Where the worker reads the ledger and subject (the database, not a transaction). */
  db: Sql;
  backoff: BackoffSettings;
  logger: Logger;
  /** Deliveries in flight at once. @defaultValue 4 */
  concurrency?: number;
}

/**
 * How often a delivery may find the referral API a moment behind the routing (409/404 on the
 * details) without it counting as an attempt; past this the referral API is taken to be wrong and
 * each further "not ready" counts like any retryable failure.
 */
export const MAX_NOT_READY_TRIES = 20;
/** Longest wait between two "not ready" tries: the referral API is behind by moments, not hours. */
const NOT_READY_MAX_WAIT_MS = 30_000;

/** A final failure is one the system refused, or the last attempt allowed. */
function isFinal(error: unknown, attempt: number, job: Job<DeliveryJobData>): boolean {
  return error instanceof RejectedDeliveryError || (error instanceof PolkuError && !error.retryable) || attempt >= (job.opts.attempts ?? 1);
}

export function startDeliveryWorker(options: DeliveryWorkerOptions): Worker<DeliveryJobData> {
  const adapters = new Map(options.adapters.map((adapter) => [adapter.id, adapter]));
  const store = referralStore(options.db);
  const attempts = attemptLog(options.db);
  const signal = new AbortController().signal;

  /**
   * One row of the attempt log, once the attempt's result is known. The log is for operators: a
   * row that cannot be written is a warning, never a reason to send again or to lose the delivery.
   */
  const logAttempt = async (job: Job<DeliveryJobData>, attempt: Attempt, outcome: AttemptOutcome, logger: Logger, error?: unknown, answered?: number): Promise<void> => {
    const { delivery, adapterId } = job.data;
    const httpStatus = answered ?? attemptStatus(outcome, error);
    try {
      await attempts.record({
        deliveryId: delivery.deliveryId, referralId: delivery.referralId, adapterId, attempt: attempt.number, startedAt: attempt.startedAt, endedAt: new Date(), outcome,
        ...(error !== undefined ? { errorCode: errorCode(error) } : {}), ...(httpStatus !== undefined ? { httpStatus } : {}),
      });
    } catch (writeError) {
      logger.warn({ code: errorCode(writeError), err: writeError, outcome }, 'delivery attempt not written to the attempt log; the delivery goes on');
    }
  };

  const process = async (job: Job<DeliveryJobData>, token?: string) => {
    const { delivery, adapterId } = job.data;
    const attempt = job.attemptsMade + 1;
    const logger = options.logger.child({ deliveryId: delivery.deliveryId, referralId: delivery.referralId, adapterId, attempt });
    // Decided in an earlier run that could not record it: only the recording is left.
    if (job.data.outcome) return settle(job, token, job.data.outcome, logger);
    const adapter = adapters.get(adapterId);
    const started: Attempt = { number: attempt, startedAt: new Date() };
    let receipt: DeliveryReceipt;
    let disclosure: DeliveryDisclosure | undefined;
    try {
      if (!adapter) throw new PolkuError('ADAPTER_UNKNOWN', `no adapter ${adapterId} is registered`);
      // A job added again (reconciliation, a rebuild) for a delivery the ledger says was made sends nothing.
      if ((await store.delivery(delivery.deliveryId))?.outcome === 'delivered') {
        logger.info('delivery was made earlier (ledger): nothing sent');
        return undefined;
      }
      disclosure = await checkConsent(job);
      receipt = await adapter.deliver(delivery, { attempt, signal, logger });
    } catch (error) {
      return failed(job, token, error, started, logger);
    }
    await logAttempt(job, started, 'delivered', logger, undefined, receipt.httpStatus);
    return settle(job, token, { kind: 'delivered', receipt, attempts: attempt, at: new Date().toISOString(), ...(disclosure ? { disclosure } : {}) }, logger);
  };

  /**
   * Before any request: does consent (or statute, or a self-referral) still cover the recipient?
   * A refusal throws ConsentMissingError; no answer throws ConsentUnavailable (retried, never sent).
   * @returns what the delivery discloses, for its one log entry (none for a self-referral without a subject)
   */
  const checkConsent = async (job: Job<DeliveryJobData>): Promise<DeliveryDisclosure | undefined> => {
    const { delivery } = job.data;
    // Jobs queued before the consent check carry no subject: read it from the host's state.
    const subject = job.data.subject ?? (await store.subject(delivery.referralId));
    if (!subject) throw new ConsentMissingError(`nothing is known of whom referral ${delivery.referralId} is about`, { reason: 'no-consent' });
    const gate = await disclosureGate(options.decider, subject, delivery.recipient, delivery.referralId);
    if (!gate.allowed) throw new ConsentMissingError(`consent does not cover delivery ${delivery.deliveryId} (${gate.reason})`, { reason: gate.reason });
    // The facts go with their need codes and urgency or not at all: those need `need-description`.
    const release = deliveryRelease(gate.categories);
    if (!release.carriesNeed) throw new ConsentMissingError(`consent does not cover the need codes of delivery ${delivery.deliveryId}`, { reason: 'not-covered' });
    // A self-referral without an identity code has no subject the log could name (the referral API
    // logs its details under a referral pseudonym only it can make): delivered, not logged here.
    if (!subject.subjectRef) return undefined;
    // Never disclose what cannot be logged.
    if (!gate.logged) throw new PolkuError('DISCLOSURE_BASIS_UNKNOWN', `the basis of delivery ${delivery.deliveryId} cannot be named in the disclosure log`, { retryable: false });
    return { subjectRef: subject.subjectRef, categories: release.categories, fields: release.fields, basis: gate.logged };
  };

  const failed = async (job: Job<DeliveryJobData>, token: string | undefined, error: unknown, started: Attempt, logger: Logger): Promise<DeliveryReceipt | undefined> => {
    const attempt = started.number;
    const firstFailureAt = job.data.firstFailureAt ?? new Date().toISOString();
    const at = new Date().toISOString();
    if (error instanceof ConsentMissingError) {
      // Stopped, not broken: reported, not dead-lettered (there is nothing to fix and replay). A new
      // routed event after consent is granted queues the delivery again.
      await logAttempt(job, started, 'stopped', logger, error);
      return settle(job, token, { kind: 'stopped', code: error.code, ...(error.reason ? { reason: error.reason } : {}), attempts: attempt, at }, logger);
    }
    if (error instanceof DetailsNotReadyError && (job.data.notReadyTries ?? 0) < MAX_NOT_READY_TRIES) {
      await logAttempt(job, started, 'not-ready', logger, error);
      return notReady(job, token, error, logger);
    }
    if (!isFinal(error, attempt, job)) {
      await logAttempt(job, started, 'failed-retrying', logger, error);
      if (!job.data.firstFailureAt) await job.updateData({ ...job.data, firstFailureAt });
      logger.warn({ err: error }, 'delivery attempt failed, will retry');
      throw error;
    }
    await logAttempt(job, started, 'failed', logger, error);
    return settle(job, token, { kind: 'failed', lastError: lastErrorOf(error), message: deadLetterMessage(error, job.data), attempts: attempt, firstFailureAt, at }, logger);
  };

  /**
   * The adapter asked the referral API for the details a moment before its status projection saw
   * `routed`: nothing reached the external system, so no attempt is used (the job is moved back to
   * delayed, as when an outcome waits to be recorded) and the delivery's `attempts` count only
   * what the system was sent.
   */
  const notReady = async (job: Job<DeliveryJobData>, token: string | undefined, error: DetailsNotReadyError, logger: Logger): Promise<never> => {
    const tries = (job.data.notReadyTries ?? 0) + 1;
    await job.updateData({ ...job.data, notReadyTries: tries });
    const cap = Math.min(options.backoff.maxMs, NOT_READY_MAX_WAIT_MS);
    const retryInMs = Math.max(Math.min(options.backoff.baseMs, cap), nextDelayMs(tries, error, { ...options.backoff, maxMs: cap }));
    logger.info({ code: error.code, httpStatus: error.httpStatus, tries, retryInMs }, 'details not ready at the referral API yet; trying again without using an attempt');
    await job.moveToDelayed(Date.now() + retryInMs, token);
    throw new DelayedError();
  };

  /**
   * Records the outcome (ledger, recipient, outbox; the dead letter of a failure), then ends the
   * job. If that fails (PostgreSQL, or Kafka for the dead letter, away) the outcome is kept in the
   * job, which is moved back to delayed without using an attempt: the next run only records it,
   * so nothing is sent again and nothing is lost.
   */
  const settle = async (job: Job<DeliveryJobData>, token: string | undefined, outcome: PendingOutcome, logger: Logger): Promise<DeliveryReceipt | undefined> => {
    try {
      await options.outcomes.record(job.data, outcome);
    } catch (error) {
      const tries = (job.data.recordTries ?? 0) + 1;
      await job.updateData({ ...job.data, outcome, recordTries: tries });
      if (error instanceof PolkuError && !error.retryable) {
        logger.error({ err: error, code: error.code, outcome: outcome.kind }, 'delivery outcome cannot be recorded; the failed job keeps it for a retry by hand');
        throw new UnrecoverableError(error.message);
      }
      const retryInMs = Math.max(options.backoff.baseMs, nextDelayMs(tries, undefined, options.backoff));
      logger.warn({ code: errorCode(error), err: error, outcome: outcome.kind, retryInMs }, 'delivery outcome not recorded yet; the job records it later and sends nothing again');
      await job.moveToDelayed(Date.now() + retryInMs, token);
      throw new DelayedError();
    }
    switch (outcome.kind) {
      case 'delivered':
        logger.info({ attempts: outcome.attempts }, 'delivered');
        return outcome.receipt;
      case 'stopped':
        logger.warn({ code: outcome.code, reason: outcome.reason, attempts: outcome.attempts }, 'delivery stopped: consent does not cover the recipient');
        throw new UnrecoverableError(outcome.code);
      case 'failed':
        logger.error({ code: outcome.lastError.code, attempts: outcome.attempts }, 'delivery failed for good, dead-lettered');
        throw new UnrecoverableError(outcome.message);
    }
  };

  return new Worker<DeliveryJobData>(DELIVERY_QUEUE, (job, token) => inJobSpan(DELIVERY_QUEUE, job, () => process(job, token)), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    settings: { backoffStrategy: (attemptsMade, _type, error) => nextDelayMs(attemptsMade, error, options.backoff) },
  });
}

/** When an attempt began, and which it is. */
interface Attempt {
  number: number;
  startedAt: Date;
}

/**
 * The external system's HTTP status of an attempt: its 2xx on success, its answer on a refusal or
 * a retryable failure. A "not ready" status is the referral API's, not the system's: left out.
 */
function attemptStatus(outcome: AttemptOutcome, error: unknown): number | undefined {
  if (outcome === 'not-ready') return undefined;
  return error instanceof RejectedDeliveryError || error instanceof RetryableDeliveryError ? error.httpStatus : undefined;
}
