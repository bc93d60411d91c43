import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent } from '@polku/contracts';

/** Referral lifecycle events as the router and adapter host publish them, with valid data. */
export function referralEvent(verb: string, referralId: string, data: Record<string, unknown>, time = new Date().toISOString()): CloudEvent {
  return createEvent(`fi.polku.referral.${verb}.v1`, { source: '/polku/test', subject: referralId, time, data: { referralId, ...data }, correlationid: referralId, id: randomUUID() });
}

export const SCHOOL = { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education', sector: 'education' } as const;
export const SETTLEMENT = { organisationId: 'keski-suomen-setlementti', serviceId: 'setlementti-youth', sector: 'ngo' } as const;
export const MLL = { organisationId: 'mll-keski-suomi', serviceId: 'mll-family-support', sector: 'ngo' } as const;

export const submitted = (id: string, organisationId = 'jyvaskyla-education') =>
  referralEvent('submitted', id, {
    needCodes: ['loneliness-leisure'], urgency: 'routine', municipalityCode: '179', ageBand: '13-15', language: 'fi',
    submitter: { organisationId, role: 'teacher' }, legalBasis: 'consent', submittedAt: '2026-03-02T08:00:00.000Z',
  }, '2026-03-02T08:00:00.000Z');

export const routed = (id: string, lead: object = SETTLEMENT, coWorkers: object[] = [MLL]) =>
  referralEvent('routed', id, { lead, coWorkers, ruleId: 'youth-leisure', viaCoordinator: false, routedAt: new Date().toISOString() });

export const delivered = (id: string, recipient: object = SETTLEMENT, deliveryId: string = randomUUID()) =>
  referralEvent('delivered', id, { deliveryId, recipient, adapterId: 'ngo.email', deliveredAt: new Date().toISOString() });

/** What the adapter host publishes on the delivery topic beside `delivered`. */
export const deliverySucceeded = (id: string, deliveryId: string, attempts: number, recipient: object = SETTLEMENT): CloudEvent =>
  createEvent('fi.polku.delivery.succeeded.v1', {
    source: '/polku/test', subject: id, correlationid: id,
    data: { deliveryId, referralId: id, adapterId: 'ngo.email', recipient, attempts, succeededAt: new Date().toISOString() },
  });

export const accepted = (id: string, by: object = SETTLEMENT) => referralEvent('accepted', id, { by, acceptedAt: new Date().toISOString() });
