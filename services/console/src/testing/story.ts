import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudEvent } from '@polku/contracts';

const SCHEMAS = join(import.meta.dirname, '..', '..', '..', '..', 'schemas');

/** A valid example event of the contracts (schemas/<entity>/examples), as the producers write them. */
function example(file: string): CloudEvent {
  const entity = file.split('.')[0]!;
  return JSON.parse(readFileSync(join(SCHEMAS, entity, 'examples', file), 'utf8')) as CloudEvent;
}

export interface Story {
  referralId: string;
  subjectRef: string;
  consentId: string;
  /** A delivery that failed for good (the external system answered 503). */
  failedDelivery: string;
  /** A delivery that succeeded after 2 attempts. */
  deliveredDelivery: string;
  /** Every event, in the order they happened, with the topic entity each goes to. */
  events: CloudEvent[];
}

/**
 * One referral's whole story on the four topics: submitted, a consent of its subject, routed,
 * two deliveries (one failed, one made and logged as a disclosure), a refused disclosure and an SLA breach.
 * Fresh ids each time; times a second apart, in order.
 */
export function referralStory(start = Date.now() - 60_000): Story {
  const referralId = randomUUID();
  const consentId = randomUUID();
  const subjectRef = `sr_${randomUUID().replaceAll('-', '').padEnd(43, 'A').slice(0, 43)}`;
  const failedDelivery = randomUUID();
  const deliveredDelivery = randomUUID();
  let second = 0;
  const at = () => new Date(start + 1000 * second++).toISOString();
  const referral = (file: string, data: Record<string, unknown>): CloudEvent => {
    const e = example(file);
    return { ...e, id: randomUUID(), time: at(), subject: referralId, correlationid: referralId, causationid: referralId, data: { ...e.data, referralId, ...data } };
  };
  const consent = example('consent.granted.v2.valid.json');
  const disclosed = example('disclosure.disclosed.v2.valid.delivery.json');
  const refused = example('disclosure.refused.v1.valid.json');
  const events: CloudEvent[] = [
    referral('referral.submitted.v1.valid.json', { subjectRef }),
    { ...consent, id: randomUUID(), time: at(), subject: consentId, consentid: consentId, correlationid: consentId, causationid: consentId, data: { ...consent.data, consentId, subjectRef } } as CloudEvent,
    referral('referral.routed.v1.valid.json', {}),
    referral('referral.delivered.v1.valid.json', { deliveryId: deliveredDelivery }),
    { ...disclosed, id: randomUUID(), time: at(), subject: subjectRef, consentid: consentId, correlationid: referralId, data: { ...disclosed.data, disclosureId: randomUUID(), subjectRef, referralId, deliveryId: deliveredDelivery, basis: { kind: 'consent', consentId } } } as CloudEvent,
    { ...example('delivery.succeeded.v1.valid.json'), id: randomUUID(), time: at(), subject: referralId, correlationid: referralId, data: { ...example('delivery.succeeded.v1.valid.json').data, referralId, deliveryId: deliveredDelivery } } as CloudEvent,
    { ...refused, id: randomUUID(), time: at(), subject: subjectRef, correlationid: referralId, data: { ...refused.data, disclosureId: randomUUID(), subjectRef, referralId } } as CloudEvent,
    { ...example('delivery.failed.v1.valid.json'), id: randomUUID(), time: at(), subject: referralId, correlationid: referralId, data: { ...example('delivery.failed.v1.valid.json').data, referralId, deliveryId: failedDelivery } } as CloudEvent,
    referral('referral.sla-breached.v1.valid.json', {}),
  ];
  return { referralId, subjectRef, consentId, failedDelivery, deliveredDelivery, events };
}
