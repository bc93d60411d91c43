import type { DeliveryReceipt } from '@polku/adapter-kit';
import { purposeFor } from '@polku/consent-policy';
import { createEvent, derivedEventId, type CloudEvent, type DeliveryFailedV1, type DeliverySucceededV1, type DisclosureDisclosedV2, type ReferralDeliveredV1 } from '@polku/contracts';
import type { DeliveryDisclosure, DeliveryJobData } from './delivery-job';

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

/**
 * The one disclosure-log entry of a delivery (writer `adapter-host`): to the recipient
 * organisation through the adapter's system, exactly the fields the delivery carried. Its id
 * derives from the delivery, so a recording tried again writes the same entry.
 */
export function deliveryDisclosedEvent(job: DeliveryJobData, disclosure: DeliveryDisclosure, subjectRef: string, at: Date): CloudEvent<DisclosureDisclosedV2> {
  const { delivery, adapterId } = job;
  const data: DisclosureDisclosedV2 = {
    disclosureId: derivedEventId(delivery.deliveryId, 'disclosure'),
    subjectRef,
    referralId: delivery.referralId,
    deliveryId: delivery.deliveryId,
    recipient: { organisationId: delivery.recipient.organisationId, systemId: systemKeyOf(adapterId) },
    dataCategories: disclosure.categories as DisclosureDisclosedV2['dataCategories'],
    fields: disclosure.fields as DisclosureDisclosedV2['fields'],
    purpose: purposeFor(job.subject.legalBasis),
    basis: disclosure.basis,
    at: at.toISOString(),
  };
  return createEvent('fi.polku.disclosure.disclosed.v2', {
    ...causedBy(job, 'disclosed'),
    subject: subjectRef,
    time: data.at,
    data,
    ...(data.basis.kind === 'consent' ? { legalbasis: 'consent', consentid: data.basis.consentId } : { legalbasis: data.basis.statute }),
  });
}

/** An adapter id (`education.school`) as the log's systemId, a catalogue key (`education-school`). */
function systemKeyOf(adapterId: string): string {
  return adapterId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'unknown';
}
