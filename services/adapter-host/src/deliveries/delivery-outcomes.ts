import { RejectedDeliveryError, RetryableDeliveryError } from '@polku/adapter-kit';
import type { Bus } from '@polku/bus';
import { TOPICS, type CloudEvent, type DeliveryFailedV1 } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import type { DisclosureLog } from '@polku/disclosure-log';
import { enqueue } from '@polku/outbox';
import { errorCode, errorMessage, PolkuError } from '@polku/service-kit';
import { deliveredEvents, deliveryDisclosedEvent, deliveryFailedEvent } from '../domain/delivery-events';
import type { DeliveryDisclosure, DeliveryJobData, PendingOutcome } from '../domain/delivery-job';
import { recipientKey } from '../domain/plan-deliveries';
import { toWire } from '../domain/wire';
import { referralStore } from '../store/referral-store';

export interface OutcomeTopics {
  referral: string;
  delivery: string;
}

export interface OutcomeDeps {
  db: Database;
  /** For the dead letter of a delivery that failed for good. */
  bus: Bus;
  /** Who gave up, in the dead letter's consumer-group header. */
  by: string;
  /** Where each delivery that carried need codes or details is logged (writer `adapter-host`). */
  disclosureLog: DisclosureLog;
  /** @defaultValue TOPICS */
  topics?: OutcomeTopics;
}

/**
 * Records what became of a delivery: the recipient's state, the ledger's outcome and the events
 * that announce it (`referral.delivered` + `delivery.succeeded`, or `delivery.failed`) in one
 * transaction, published by the outbox relay. A delivery that failed for good is then
 * dead-lettered straight to Kafka (a report to operators, not a change of the backbone's state).
 * Throws if any of it fails; the worker keeps the outcome in the job and tries again.
 */
export function deliveryOutcomes(deps: OutcomeDeps) {
  const topics = deps.topics ?? TOPICS;
  return {
    async record(job: DeliveryJobData, outcome: PendingOutcome): Promise<void> {
      const { delivery } = job;
      await deps.db.transaction(async (tx) => {
        const store = referralStore(tx);
        await store.recordOutcome(delivery.referralId, recipientKey(delivery.recipient), {
          state: outcome.kind, deliveryId: delivery.deliveryId, ...(outcome.kind === 'stopped' && outcome.reason ? { reason: outcome.reason } : {}),
        });
        // Recorded by an earlier try whose dead letter failed: its events are in the outbox already.
        if (!(await store.recordDeliveryOutcome(job, outcome.kind, outcome.attempts))) return;
        for (const [topic, event] of announcements(job, outcome, topics)) await enqueue(tx, topic, toWire(event));
        if (outcome.kind === 'delivered' && outcome.disclosure) await logDisclosure(tx, deps.disclosureLog, job, outcome.disclosure, new Date(outcome.at));
      });
      if (outcome.kind !== 'failed') return;
      await deps.bus.deadLetter(topics.referral, toWire(job.routed), {
        error: new PolkuError(outcome.lastError.code, outcome.message),
        attempts: outcome.attempts,
        firstFailureAt: new Date(outcome.firstFailureAt),
        by: deps.by,
        // Names the delivery, so a replay of this dead letter re-queues it and no other of the event's.
        deliveryId: delivery.deliveryId,
        ...(job.replayHeaders ? { headers: job.replayHeaders } : {}),
        ...(job.position ? { original: job.position } : {}),
      });
    },
  };
}

export type DeliveryOutcomes = ReturnType<typeof deliveryOutcomes>;

/**
 * The delivery's one disclosure-log entry, in the transaction of its outcome: written only if
 * `disclosure_logged_deliveries` has no entry for this delivery (and these fields) yet, so no
 * number of attempts, recordings or replays writes a second one.
 */
async function logDisclosure(tx: Sql, log: DisclosureLog, job: DeliveryJobData, disclosure: DeliveryDisclosure, at: Date): Promise<void> {
  const event = deliveryDisclosedEvent(job, disclosure, disclosure.subjectRef, at);
  const { rowCount } = await tx.query(
    `INSERT INTO disclosure_logged_deliveries (writer, delivery_id, fields, disclosure_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (writer, delivery_id, fields) DO NOTHING`,
    [log.writer, job.delivery.deliveryId, disclosure.fields.join(','), event.data.disclosureId],
  );
  if (rowCount === 1) await log.record(tx, toWire(event));
}

function announcements(job: DeliveryJobData, outcome: PendingOutcome, topics: OutcomeTopics): [string, CloudEvent<unknown>][] {
  const at = new Date(outcome.at);
  switch (outcome.kind) {
    case 'delivered': {
      const [delivered, succeeded] = deliveredEvents(job, outcome.receipt, outcome.attempts, at);
      return [[topics.referral, delivered], [topics.delivery, succeeded]];
    }
    // Stopped because consent does not cover the recipient: `delivery.failed` with the code, no dead letter.
    case 'stopped':
      return [[topics.delivery, deliveryFailedEvent(job, { code: outcome.code, retryable: false }, outcome.attempts, at)]];
    case 'failed':
      return [[topics.delivery, deliveryFailedEvent(job, outcome.lastError, outcome.attempts, at)]];
  }
}

/** `delivery.failed`'s lastError: a code and the system's status, never its answer. */
export function lastErrorOf(error: unknown): DeliveryFailedV1['lastError'] {
  const httpStatus = error instanceof RejectedDeliveryError || error instanceof RetryableDeliveryError ? error.httpStatus : undefined;
  const retryable = error instanceof PolkuError ? error.retryable : true;
  return { code: errorCode(error), retryable, ...(httpStatus ? { httpStatus } : {}) };
}

/** The dead letter names which delivery failed (a routed event may fan out to several), with the system's answer. */
export function deadLetterMessage(error: unknown, job: DeliveryJobData): string {
  const { deliveryId, recipient } = job.delivery;
  return `delivery ${deliveryId} to ${recipient.serviceId ?? recipient.organisationId} via ${job.adapterId}: ${errorMessage(error)}`;
}
