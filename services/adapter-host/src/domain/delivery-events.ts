import type { DeliveryReceipt } from '@polku/adapter-kit';
import { createEvent, derivedEventId, type CloudEvent, type DeliveryFailedV1, type DeliverySucceededV1, type ReferralDeliveredV1 } from '@polku/contracts';
import type { DeliveryJobData } from './delivery-job';

const SOURCE = '/polku/adapter-host';

/** Ids derive from the delivery, so a retried job that publishes again publishes the same events. */
function causedBy(job: DeliveryJobData, purpose: string) {
  const { routed, delivery } = job;
  return {
    id: derivedEventId(delivery.deliveryId, purpose),
    source: SOURCE,
    subject: delivery.referralId,
    causationid: routed.id,
    correlationid: routed.correlationid ?? routed.id,
  };
}

export function deliveredEvents(job: DeliveryJobData, receipt: DeliveryReceipt, attempts: number, at: Date): [CloudEvent<ReferralDeliveredV1>, CloudEvent<DeliverySucceededV1>] {
  const { delivery, adapterId } = job;
  const base = { referralId: delivery.referralId, deliveryId: delivery.deliveryId, recipient: delivery.recipient, adapterId };
  return [
    createEvent('fi.polku.referral.delivered.v1', { ...causedBy(job, 'delivered'), data: { ...base, deliveredAt: at.toISOString() } }),
    createEvent('fi.polku.delivery.succeeded.v1', {
      ...causedBy(job, 'delivery-succeeded'),
      data: { ...base, attempts, succeededAt: at.toISOString(), ...(receipt.externalRef ? { externalRef: receipt.externalRef } : {}) },
    }),
  ];
}

export function deliveryFailedEvent(job: DeliveryJobData, lastError: DeliveryFailedV1['lastError'], attempts: number, at: Date): CloudEvent<DeliveryFailedV1> {
  const { delivery, adapterId } = job;
  return createEvent('fi.polku.delivery.failed.v1', {
    ...causedBy(job, 'delivery-failed'),
    data: { deliveryId: delivery.deliveryId, referralId: delivery.referralId, adapterId, recipient: delivery.recipient, attempts, lastError, failedAt: at.toISOString() },
  });
}

/** The id a callback's event takes as its cause: the delivery it answers. */
export function deliveredEventId(deliveryId: string): string {
  return derivedEventId(deliveryId, 'delivered');
}
