import { RejectedDeliveryError, RetryableDeliveryError, type ConsentMissingError, type DeliveryReceipt } from '@polku/adapter-kit';
import type { Bus } from '@polku/bus';
import { TOPICS, type DeliveryFailedV1 } from '@polku/contracts';
import { errorCode, PolkuError } from '@polku/service-kit';
import { deliveredEvents, deliveryFailedEvent } from '../domain/delivery-events';
import type { DeliveryJobData } from '../domain/delivery-job';
import { toWire } from '../domain/wire';

/** Publishes what became of a delivery. Each throws if the bus does, so the job is not marked done. */
export interface OutcomeTopics {
  referral: string;
  delivery: string;
}

export function deliveryOutcomes(bus: Bus, consumerGroup: string, topics: OutcomeTopics = TOPICS) {
  return {
    async succeeded(job: DeliveryJobData, receipt: DeliveryReceipt, attempts: number): Promise<void> {
      const [delivered, succeeded] = deliveredEvents(job, receipt, attempts, new Date());
      await bus.publish(topics.referral, toWire(delivered));
      await bus.publish(topics.delivery, toWire(succeeded));
    },

    /** Stopped because consent does not cover the recipient: `delivery.failed` with CONSENT_MISSING, no dead letter. */
    async consentMissing(job: DeliveryJobData, error: ConsentMissingError, attempts: number): Promise<void> {
      await bus.publish(topics.delivery, toWire(deliveryFailedEvent(job, { code: error.code, retryable: false }, attempts, new Date())));
    },

    /** Given up: `delivery.failed` (a code, never the answer) and the routed event dead-lettered with the answer. */
    async failed(job: DeliveryJobData, error: unknown, attempts: number, firstFailureAt: Date): Promise<void> {
      await bus.publish(topics.delivery, toWire(deliveryFailedEvent(job, lastErrorOf(error), attempts, new Date())));
      await bus.deadLetter(topics.referral, toWire(job.routed), {
        error: withRecipient(error, job),
        attempts,
        firstFailureAt,
        by: consumerGroup,
        ...(job.position ? { original: job.position } : {}),
      });
    },
  };
}

function lastErrorOf(error: unknown): DeliveryFailedV1['lastError'] {
  const httpStatus = error instanceof RejectedDeliveryError || error instanceof RetryableDeliveryError ? error.httpStatus : undefined;
  const retryable = error instanceof PolkuError ? error.retryable : true;
  return { code: errorCode(error), retryable, ...(httpStatus ? { httpStatus } : {}) };
}

/** The dead letter names which delivery failed: a routed event may fan out to several. */
function withRecipient(error: unknown, job: DeliveryJobData): PolkuError {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const { deliveryId, recipient } = job.delivery;
  return new PolkuError(code, `delivery ${deliveryId} to ${recipient.serviceId ?? recipient.organisationId} via ${job.adapterId}: ${message}`, { cause: error });
}
