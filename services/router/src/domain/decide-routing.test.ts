import { createEvent, validateEvent } from '@polku/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '@polku/catalogue';
import { decideRouting, NO_RULE_MATCHED, type RoutingDecision } from './decide-routing';
import { formatHelsinki } from './helsinki-time';
import { loadCatalogue } from '@polku/catalogue';
import { loadRules } from './load-rules';
import type { ReferralSubmittedV1 } from '@polku/contracts';
import { toRoutedData } from './routed-data';
import type { RoutingRules } from './rules';

let catalogue: Catalogue;
let rules: RoutingRules;
beforeAll(async () => {
  [catalogue, rules] = await Promise.all([loadCatalogue(), loadRules()]);
});

function referral(overrides: Partial<ReferralSubmittedV1> = {}): ReferralSubmittedV1 {
  return {
    referralId: '6d1f3b2a-8c4e-4f7a-b1d2-9e0a3c5b7f11',
    needCodes: ['school-attendance'],
    urgency: 'routine',
    municipalityCode: '179',
    ageBand: '13-15',
    language: 'fi',
    submitter: { organisationId: 'jyvaskyla-education', role: 'teacher' },
    legalBasis: 'consent',
    submittedAt: '2026-01-15T10:00:00+02:00',
    ...overrides,
  };
}

const route = (overrides: Partial<ReferralSubmittedV1>, using: RoutingRules = rules): RoutingDecision =>
  decideRouting(referral(overrides), catalogue, using);
const leadOf = (decision: RoutingDecision): string => decision.lead.serviceId;
const coWorkersOf = (decision: RoutingDecision): string[] => decision.coWorkers.map((c) => c.serviceId);

describe('decideRouting', () => {
  it('sends an LSL 25 § notification from a Jyväskylä school to Jyväskylä child welfare only', () => {
    const decision = route({ legalBasis: 'lsl-25', needCodes: ['school-attendance', 'bullying'] });
    expect(decision).toMatchObject({
      lead: { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-child-welfare-jyvaskyla', sector: 'social-services' },
      coWorkers: [],
      ruleId: 'child-welfare-notification',
      viaCoordinator: false,
      statutory: true,
    });
    expect(decision.slaDeadline.sla).toBe('assessment-decision');
    expect(formatHelsinki(decision.slaDeadline.dueAt)).toBe('2026-01-26T16:00:00+02:00');
  });

  it("makes Laukaa student welfare lead a 9-year-old's bullying and absence, with the family centre", () => {
    const decision = route({
      municipalityCode: '410',
      ageBand: '7-12',
      needCodes: ['bullying', 'school-attendance'],
      submitter: { organisationId: 'laukaa-education', role: 'teacher' },
    });
    expect(decision.ruleId).toBe('school-wellbeing');
    expect(leadOf(decision)).toBe('ksh-student-welfare-laukaa');
    expect(coWorkersOf(decision)).toEqual(['ksh-family-centre-laukaa']);
    expect(decision.viaCoordinator).toBe(false);
    expect(decision.statutory).toBe(false);
  });

  it('gives an NGO-only need to the NGO youth service, preferring one that speaks the family language', () => {
    const finnish = route({ needCodes: ['loneliness-leisure'] });
    expect(finnish.ruleId).toBe('leisure-and-belonging');
    expect(finnish.lead).toEqual({ organisationId: 'keski-suomen-nuorisotuki', serviceId: 'nuorisotuki-mentoring', sector: 'ngo' });
    expect(leadOf(route({ needCodes: ['loneliness-leisure'], language: 'en' }))).toBe('setlementti-youth-services');
  });

  it("sends a need no local service covers to the area's guidance coordinator", () => {
    const decision = route({ needCodes: ['loneliness-leisure'], municipalityCode: '256' });
    expect(decision).toMatchObject({
      lead: { serviceId: 'ksh-guidance-wiitaunioni', sector: 'guidance' },
      coWorkers: [],
      ruleId: 'leisure-and-belonging',
      viaCoordinator: true,
      coordinatorReason: 'no-covering-service',
    });
  });

  it('picks the Swedish-speaking family centre for a family that wants Swedish', () => {
    const swedish = route({ needCodes: ['parenting-support'], ageBand: '3-6', language: 'sv' });
    expect(leadOf(swedish)).toBe('ksh-family-centre-swedish');
    expect(coWorkersOf(swedish)).toEqual(['mll-family-support']);
    expect(leadOf(route({ needCodes: ['parenting-support'], ageBand: '3-6' }))).toBe('ksh-family-centre-jyvaskyla');
  });

  it('lets the catch-all rule hand housing and livelihood needs to the coordinator', () => {
    const decision = route({ needCodes: ['housing', 'financial-hardship'], ageBand: '18-29', municipalityCode: '182' });
    expect(decision).toMatchObject({ ruleId: 'guidance-catch-all', viaCoordinator: true, coordinatorReason: 'rule-chose-coordinator' });
    expect(leadOf(decision)).toBe('ksh-guidance-jamsa');
  });

  it('still routes when no rule matches at all', () => {
    const withoutCatchAll = { ...rules, rules: rules.rules.filter((r) => r.id !== 'guidance-catch-all') };
    const decision = route({ needCodes: ['housing'], municipalityCode: '729' }, withoutCatchAll);
    expect(decision).toMatchObject({ ruleId: NO_RULE_MATCHED, viaCoordinator: true, coordinatorReason: 'no-rule-matched' });
    expect(leadOf(decision)).toBe('ksh-guidance-saarikka');
  });

  it("sends a municipality outside the region to the catalogue's fallback coordinator", () => {
    expect(leadOf(route({ needCodes: ['bullying'], ageBand: '7-12', municipalityCode: '091' }))).toBe('ksh-guidance-central');
  });

  it('routes an SHL 35 § contact statutorily to the coordinator, and an urgent mental-health need to mental health', () => {
    expect(route({ legalBasis: 'shl-35', needCodes: ['housing'] })).toMatchObject({ statutory: true, viaCoordinator: true });
    const urgent = route({ needCodes: ['mental-health'], urgency: 'urgent' });
    expect(leadOf(urgent)).toBe('ksh-child-youth-mental-health');
    expect(coWorkersOf(urgent)).toEqual(['ksh-student-welfare-jyvaskyla']);
    expect(formatHelsinki(urgent.slaDeadline.dueAt)).toBe('2026-01-16T16:00:00+02:00');
  });

  it('decides the same whatever order the catalogue lists its services in', () => {
    const reversed: Catalogue = { ...catalogue, services: [...catalogue.services].reverse() };
    const input = referral({ needCodes: ['loneliness-leisure'] });
    expect(decideRouting(input, reversed, rules)).toEqual(decideRouting(input, catalogue, rules));
  });

  it('produces referral.routed.v1 data that passes the contract', () => {
    const cases = [route({ legalBasis: 'lsl-25' }), route({ needCodes: ['parenting-support'], language: 'sv' }), route({ municipalityCode: '091' })];
    for (const decision of cases) {
      const data = toRoutedData(referral().referralId, decision, new Date('2026-01-15T08:00:05Z'));
      const event = createEvent('fi.polku.referral.routed.v1', { source: '/polku/router', subject: data.referralId, data });
      expect(validateEvent(event)).toMatchObject({ ok: true });
    }
  });

  it('only tests referrals that pass the referral.submitted.v1 contract', () => {
    const data = referral({ needCodes: ['bullying', 'school-attendance'] });
    const event = createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: data.referralId, data });
    expect(validateEvent(event)).toMatchObject({ ok: true });
  });
});
