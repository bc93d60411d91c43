import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Caller, CallerRole } from '@polku/service-kit';
import { referralEvent, routed, submitted } from '../testing/referral-events';
import { applyEvent } from './apply-event';
import { detailsAccess, routedServices, statusAccess } from './referral-access';
import type { StatusRecord } from './status-record';

const WELLBEING = 'keski-suomen-hyvinvointialue';
const STUDENT_WELFARE = { organisationId: WELLBEING, serviceId: 'ksh-student-welfare-jyvaskyla', sector: 'social-services' } as const;
const MENTAL_HEALTH = { organisationId: WELLBEING, serviceId: 'ksh-child-youth-mental-health', sector: 'health' } as const;
const COORDINATOR = { organisationId: WELLBEING, serviceId: 'ksh-guidance-central', sector: 'guidance' } as const;
const NGO = { organisationId: 'keski-suomen-setlementti', serviceId: 'setlementti-youth-services', sector: 'ngo' } as const;

function record(...events: ReturnType<typeof submitted>[]): StatusRecord {
  return events.reduce<StatusRecord | undefined>((r, e) => applyEvent(r, e), undefined)!;
}

function key(organisationId: string, roles: CallerRole[], services: string[] = []): Caller {
  return { keyId: randomUUID(), organisationId, systemId: 'system', roles, services };
}

const id = randomUUID();
/** Submitted by a school, routed to student welfare with an NGO as co-worker. */
const routedToStudentWelfare = record(submitted(id, 'jyvaskyla-education'), routed(id, STUDENT_WELFARE, [NGO]));

describe('routedServices', () => {
  it('lists the lead and co-workers of every route, the coordinator after a hand-over, and forwarded services, once each', () => {
    const handedOver = record(
      submitted(id), routed(id, STUDENT_WELFARE, [NGO]),
      referralEvent('routed', id, { lead: COORDINATOR, coWorkers: [NGO], ruleId: 'sla-breached', viaCoordinator: true, routedAt: new Date().toISOString() }),
      referralEvent('forwarded', id, { from: COORDINATOR, to: MENTAL_HEALTH, forwardedAt: new Date().toISOString() }),
    );
    expect(routedServices(handedOver).map((p) => p.serviceId).sort()).toEqual(
      [COORDINATOR, MENTAL_HEALTH, NGO, STUDENT_WELFARE].map((p) => p.serviceId).sort(),
    );
  });
  it('ignores a party that names no service', () => {
    const r = record(submitted(id), routed(id, STUDENT_WELFARE, []), referralEvent('forwarded', id, { from: STUDENT_WELFARE, to: { organisationId: 'mll-keski-suomi' }, forwardedAt: new Date().toISOString() }));
    expect(routedServices(r)).toEqual([STUDENT_WELFARE]);
  });
});

describe('statusAccess', () => {
  it('lets a recipient key that acts for the lead or a co-worker service read', () => {
    expect(statusAccess(routedToStudentWelfare, key(WELLBEING, ['recipient'], [STUDENT_WELFARE.serviceId]))).toMatchObject({ allowed: true, as: 'recipient', parties: [STUDENT_WELFARE] });
    expect(statusAccess(routedToStudentWelfare, key(NGO.organisationId, ['recipient'], [NGO.serviceId]))).toMatchObject({ allowed: true, as: 'recipient' });
  });
  it('refuses a sibling service of the same organisation with NOT_FOR_YOUR_SERVICE', () => {
    expect(statusAccess(routedToStudentWelfare, key(WELLBEING, ['recipient'], [MENTAL_HEALTH.serviceId]))).toMatchObject({ allowed: false, code: 'NOT_FOR_YOUR_SERVICE' });
    expect(statusAccess(routedToStudentWelfare, key(WELLBEING, ['recipient'], []))).toMatchObject({ allowed: false, code: 'NOT_FOR_YOUR_SERVICE' });
  });
  it('refuses another organisation with NOT_A_RECIPIENT, even one whose key names the routed service', () => {
    expect(statusAccess(routedToStudentWelfare, key('mll-keski-suomi', ['recipient'], ['mll-family-support']))).toMatchObject({ allowed: false, code: 'NOT_A_RECIPIENT' });
    expect(statusAccess(routedToStudentWelfare, key('mll-keski-suomi', ['recipient'], [STUDENT_WELFARE.serviceId]))).toMatchObject({ allowed: false, code: 'NOT_A_RECIPIENT' });
  });
  it('lets the coordinator read after a hand-over, and the service a referral was forwarded to', () => {
    const handedOver = record(
      submitted(id), routed(id, STUDENT_WELFARE, []),
      referralEvent('routed', id, { lead: COORDINATOR, coWorkers: [], ruleId: 'sla-breached', viaCoordinator: true, routedAt: new Date().toISOString() }),
      referralEvent('forwarded', id, { from: COORDINATOR, to: MENTAL_HEALTH, forwardedAt: new Date().toISOString() }),
    );
    expect(statusAccess(handedOver, key(WELLBEING, ['recipient'], [COORDINATOR.serviceId])).allowed).toBe(true);
    expect(statusAccess(handedOver, key(WELLBEING, ['recipient'], [MENTAL_HEALTH.serviceId])).allowed).toBe(true);
    expect(statusAccess(handedOver, key(WELLBEING, ['recipient'], ['ksh-child-welfare-jyvaskyla']))).toMatchObject({ code: 'NOT_FOR_YOUR_SERVICE' });
  });
  it('lets a submitter key of the submitting organisation read, and no other submitter', () => {
    expect(statusAccess(routedToStudentWelfare, key('jyvaskyla-education', ['submitter']))).toMatchObject({ allowed: true, as: 'submitter' });
    expect(statusAccess(routedToStudentWelfare, key('laukaa-education', ['submitter', 'recipient'], ['laukaa-basic-education']))).toMatchObject({ allowed: false, code: 'NOT_A_RECIPIENT' });
  });
  it('needs the submitter role for the submitting organisation: a recipient-only key of it reads as a recipient or not at all', () => {
    const bySchoolOfWellbeing = record(submitted(id, WELLBEING), routed(id, NGO, []));
    expect(statusAccess(bySchoolOfWellbeing, key(WELLBEING, ['recipient'], [MENTAL_HEALTH.serviceId]))).toMatchObject({ allowed: false, code: 'NOT_A_RECIPIENT' });
    expect(statusAccess(bySchoolOfWellbeing, key(WELLBEING, ['submitter'])).allowed).toBe(true);
  });
  it('lets an operator read any status', () => {
    expect(statusAccess(routedToStudentWelfare, key('polku-operations', ['operator']))).toMatchObject({ allowed: true, as: 'operator' });
  });
  it('refuses auditors, resident e-services and backbone keys with FORBIDDEN', () => {
    for (const role of ['auditor', 'resident', 'backbone'] as const) {
      expect(statusAccess(routedToStudentWelfare, key(WELLBEING, [role], [STUDENT_WELFARE.serviceId]))).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    }
  });
});

describe('detailsAccess', () => {
  it('lets a recipient key that acts for a routed service through, naming the services it acts for', () => {
    expect(detailsAccess(routedToStudentWelfare, key(WELLBEING, ['recipient'], [STUDENT_WELFARE.serviceId, MENTAL_HEALTH.serviceId]))).toEqual({ allowed: true, as: 'recipient', parties: [STUDENT_WELFARE] });
  });
  it('refuses the sibling service, another organisation, and the submitter', () => {
    expect(detailsAccess(routedToStudentWelfare, key(WELLBEING, ['recipient'], [MENTAL_HEALTH.serviceId]))).toMatchObject({ code: 'NOT_FOR_YOUR_SERVICE' });
    expect(detailsAccess(routedToStudentWelfare, key('mll-keski-suomi', ['recipient'], ['mll-family-support']))).toMatchObject({ code: 'NOT_A_RECIPIENT' });
    expect(detailsAccess(routedToStudentWelfare, key('jyvaskyla-education', ['submitter']))).toMatchObject({ code: 'FORBIDDEN' });
    expect(detailsAccess(routedToStudentWelfare, key('jyvaskyla-education', ['submitter', 'recipient'], ['jkl-basic-education']))).toMatchObject({ code: 'NOT_A_RECIPIENT' });
  });
  it('never gives an operator key details, even one that also has the recipient role for the service', () => {
    expect(detailsAccess(routedToStudentWelfare, key('polku-operations', ['operator']))).toMatchObject({ code: 'DETAILS_NOT_FOR_OPERATORS' });
    expect(detailsAccess(routedToStudentWelfare, key(WELLBEING, ['operator', 'recipient'], [STUDENT_WELFARE.serviceId]))).toMatchObject({ code: 'DETAILS_NOT_FOR_OPERATORS' });
  });
  it('refuses auditors, resident e-services and backbone keys with FORBIDDEN', () => {
    for (const role of ['auditor', 'resident', 'backbone'] as const) {
      expect(detailsAccess(routedToStudentWelfare, key(WELLBEING, [role]))).toMatchObject({ code: 'FORBIDDEN' });
    }
  });
});
