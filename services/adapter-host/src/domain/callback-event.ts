import type { CallbackAction } from '@polku/adapter-kit';
import { createEvent, derivedEventId, type CloudEvent } from '@polku/contracts';
import { deliveredEventId } from './delivery-events';
import type { DeliveryRecord } from './delivery-job';

/**
 * A system's callback → the referral event it means, said `by` the service it was
 * delivered to. The id derives from the callback id, so a repeated callback is one event.
 */
export function callbackEvent(action: CallbackAction, record: DeliveryRecord): CloudEvent {
  const by = record.recipient;
  const fields = {
    id: derivedEventId(action.callbackId, `${record.adapterId}/${action.action}`),
    source: `/org/${by.organisationId}/${record.adapterId}`,
    subject: action.referralId,
    causationid: deliveredEventId(record.deliveryId),
    correlationid: record.correlationId,
  };
  const referralId = action.referralId;
  switch (action.action) {
    case 'accept':
      return createEvent('fi.polku.referral.accepted.v1', { ...fields, data: { referralId, by, acceptedAt: action.occurredAt, ...(action.contactDueBy ? { contactDueBy: action.contactDueBy } : {}) } });
    case 'decline':
      return createEvent('fi.polku.referral.declined.v1', { ...fields, data: { referralId, by, reasonCode: action.reasonCode, declinedAt: action.occurredAt } });
    case 'first-contact':
      return createEvent('fi.polku.referral.contact-made.v1', { ...fields, data: { referralId, by, channel: action.channel, madeAt: action.occurredAt } });
    case 'close':
      return createEvent('fi.polku.referral.closed.v1', { ...fields, data: { referralId, reason: action.reason, closedBy: by, closedAt: action.occurredAt } });
  }
}
