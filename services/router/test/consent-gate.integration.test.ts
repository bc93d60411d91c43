import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildConsentApp, startConsent, type RunningConsent } from '@polku/consent';
import { ConsentUnavailable, httpConsentDecider, type ConsentDecider } from '@polku/consent-policy/client';
import { derivedEventId, type CloudEvent, type ReferralAwaitingConsentV1, type ReferralDeclinedV1, type ReferralRoutedV1 } from '@polku/contracts';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { uniqueChildIdentityCode } from '@polku/test-kit';
import { sqlApiKeyStore } from '@polku/service-kit';
import { coordinatorFor, decideRouting } from '../src/domain/decide-routing';
import type { RunningRouter } from '../src/start-router';
import { dropQueueKeys, freshConsentTopic, freshTopic, lifecycle, logger, ofType, openHarness, publish, recordTopic, sleep, startTestRouter, submitted, unique, eventually, type Harness } from './helpers';

/**
 * The consent gate end to end on a real broker and Redis: the real consent service (its ledger,
 * projection and HTTP decisions, in-process on a free port) and the router asking it over HTTP.
 */
describe('consent-gated routing (real consent service, broker, Redis and PostgreSQL)', () => {
  let h: Harness;
  let router: RunningRouter;
  let consent: RunningConsent;
  let consentApp: FastifyInstance;
  let topic: string;
  let consentTopic: string;
  let events: CloudEvent[];
  let consentEvents: CloudEvent[];
  let recorderKey: string;
  const keyIds: string[] = [];
  const pseudonymKey = randomBytes(32);
  const queuePrefix = unique('q');
  const routerGroup = unique('router');
  const consentProjection = unique('consent');
  const consentQueuePrefix = unique('cq');
  /** While set, the consent service "does not answer". */
  let consentDown = false;
  let decideCalls = 0;
  /** The consent service's answers to the router, in order. */
  const answers: Array<{ subjectRef: string; allowed: boolean; discloser?: string }> = [];
  /** Subject refs whose next N questions are refused, as if the consent service had not applied a grant yet. */
  const lagging = new Map<string, number>();

  beforeAll(async () => {
    h = await openHarness();
    [topic, consentTopic] = await Promise.all([freshTopic(h.bus), freshConsentTopic(h.bus)]);
    consent = await startConsent({ bus: h.bus, db: h.db, queueConnection: h.queueConnection, logger, topic: consentTopic, projectionName: consentProjection, queuePrefix: consentQueuePrefix });
    consentApp = await buildConsentApp({
      logger, db: h.db, ledger: consent.ledger, store: consent.store, catalogue: h.catalogue, pseudonymKey,
      publicUrl: 'http://consent.test', policyUrl: 'http://consent.test/privacy', now: () => new Date(), readiness: {},
    });
    const baseUrl = await consentApp.listen({ host: '127.0.0.1', port: 0 });
    const store = sqlApiKeyStore(h.db);
    const backbone = await store.issue({ organisationId: 'polku', systemId: 'backbone', roles: ['backbone'] });
    const recorder = await store.issue({ organisationId: 'jyvaskyla-education', systemId: 'test-system', roles: ['submitter'] });
    keyIds.push(backbone.caller.keyId, recorder.caller.keyId);
    recorderKey = recorder.key;
    const http = httpConsentDecider({ baseUrl, apiKey: backbone.key });
    const decider: ConsentDecider = {
      async decide(question) {
        decideCalls += 1;
        if (consentDown) throw new ConsentUnavailable('no answer (test)');
        const lag = lagging.get(question.subjectRef) ?? 0;
        if (lag > 0) {
          lagging.set(question.subjectRef, lag - 1);
          return { allowed: false, reason: 'no-consent', detail: 'projection behind (test)' };
        }
        const answer = await http.decide(question);
        answers.push({ subjectRef: question.subjectRef, allowed: answer.allowed, ...(question.discloser ? { discloser: question.discloser.organisationId } : {}) });
        return answer;
      },
    };
    router = await startTestRouter(h, { topic, queuePrefix, groupId: routerGroup, consent: decider, consentTopic, timing: { slaOverrideMs: 3_600_000 } });
    events = await recordTopic(h.bus, topic);
    consentEvents = await recordTopic(h.bus, consentTopic);
  });
  afterAll(async () => {
    await router?.stop();
    await consentApp?.close();
    await consent?.stop();
    const store = sqlApiKeyStore(h.db);
    await Promise.all(keyIds.map((id) => store.revoke(id)));
    await Promise.all([dropQueueKeys(h.redis, queuePrefix), dropQueueKeys(h.redis, consentQueuePrefix)]);
    await h?.close();
  });

  /** Until the router's projection has handled (and committed) everything on the referral and consent topics. */
  const routerIdle = () => router.projection.caughtUp();

  /** A 13-year-old (synthetic code, individual number 900–999) and the subject ref every service derives from it. */
  const aChild = () => {
    const code = uniqueChildIdentityCode(new Date().getUTCFullYear() - 13);
    return { code, subjectRef: subjectRefOf(parseIdentityCode(code)!.normalised, pseudonymKey) };
  };
  const ofVerb = <T>(verb: string, referralId: string) => ofType<T>(events, verb, referralId);
  const atLeast = <T>(verb: string, referralId: string, n: number) => () => {
    const found = ofVerb<T>(verb, referralId);
    return found.length >= n ? found : undefined;
  };
  const grant = async (identityCode: string, recipients: unknown[], purposes = ['service-provision'], disclosers: unknown[] = [{ organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' }]) => {
    const response = await consentApp.inject({
      method: 'POST', url: '/v1/consents', headers: { 'x-api-key': recorderKey },
      payload: {
        subject: { identityCode }, grantor: { role: 'guardian' },
        disclosers,
        recipients, dataCategories: ['need-description'], purposes, legalFramework: '703/2023',
        validUntil: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString(), form: 'written', recordedBy: { professionalRef: 'u-1' },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().consent as { consentId: string };
  };

  it('holds an NGO-led referral without consent (awaiting-consent, no deadline), and routes it by itself within seconds once consent is recorded', async () => {
    const child = aChild();
    const event = submitted({ subjectRef: child.subjectRef, needCodes: ['loneliness-leisure'], urgency: 'routine', ageBand: '13-15' });
    const plan = decideRouting(event.data, h.catalogue, h.rules);
    expect(plan.lead.sector).toBe('ngo');
    const referralId = event.subject;
    await publish(h.bus, topic, event);

    const [routed] = await eventually(atLeast<ReferralRoutedV1>('routed', referralId, 1), 'routed');
    expect(routed).toMatchObject({ id: derivedEventId(event.id, 'routed'), data: { ruleId: 'leisure-and-belonging', lead: plan.lead, coWorkers: [] } });
    const [awaiting] = await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', referralId, 1), 'awaiting-consent');
    expect(awaiting).toMatchObject({
      id: derivedEventId(event.id, `awaiting/${plan.lead.serviceId}`),
      source: '/polku/router', causationid: event.id, correlationid: event.correlationid, legalbasis: 'consent',
      data: { referralId, recipient: plan.lead, dataCategories: ['need-description'], purpose: 'service-provision' },
    });
    // Same partition, after the routed event: a reader sees the plan first, then who waits.
    const position = (id: string | undefined) => events.findIndex((e) => e.id === id);
    expect(position(awaiting?.id)).toBeGreaterThan(position(routed?.id));
    expect(await router.memory.waiting(referralId)).toEqual([plan.lead]);
    expect(await router.memory.waitingReferrals(child.subjectRef)).toEqual([referralId]);
    await sleep(500);
    expect(await router.timers.sla.describe(referralId)).toBeUndefined();
    expect(ofVerb('routed', referralId)).toHaveLength(1);

    // A consent that does not cover the NGO (another sector) changes nothing.
    await grant(child.code, [{ sector: 'health' }]);
    await sleep(1000);
    expect(ofVerb('routed', referralId)).toHaveLength(1);

    const grantedAt = Date.now();
    const { consentId } = await grant(child.code, [{ sector: 'ngo' }]);
    const [, resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', referralId, 2), 'the resumed routed', 10_000);
    expect(Date.now() - grantedAt).toBeLessThan(5_000);
    const granted = consentEvents.find((e) => e.subject === consentId)!;
    expect(resumed).toMatchObject({
      id: derivedEventId(granted.id, `resume/${referralId}`),
      causationid: granted.id, correlationid: event.correlationid, legalbasis: 'consent',
      data: { referralId, lead: plan.lead, coWorkers: [], ruleId: 'consent-granted', viaCoordinator: false },
    });
    expect(await eventually(() => router.timers.sla.describe(referralId), 'the deadline')).toMatchObject({ state: 'delayed' });
    expect(await router.memory.waiting(referralId)).toEqual([]);
    expect(await router.memory.waitingReferrals(child.subjectRef)).toEqual([]);
    expect(ofVerb('awaiting-consent', referralId)).toHaveLength(1);
  });

  it('asks as the submitting organisation: a permission for another discloser resumes nothing, one for the submitter does', async () => {
    const child = aChild();
    const event = submitted({ subjectRef: child.subjectRef, needCodes: ['loneliness-leisure'], urgency: 'routine', ageBand: '13-15' });
    const referralId = event.subject;
    await publish(h.bus, topic, event);
    await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', referralId, 1), 'awaiting-consent');
    const asked = () => answers.filter((a) => a.subjectRef === child.subjectRef);
    const before = asked().length;
    // Laukaa's school may disclose, the submitting Jyväskylä school may not: the router asks as the submitter and is refused.
    await grant(child.code, [{ sector: 'ngo' }], ['service-provision'], [{ organisationId: 'laukaa-education' }]);
    await eventually(() => (asked().length > before ? true : undefined), 'the router asked again after the grant');
    expect(asked().slice(before)).toEqual([{ subjectRef: child.subjectRef, allowed: false, discloser: 'jyvaskyla-education' }]);
    expect(ofVerb('routed', referralId)).toHaveLength(1);
    // (The refused grant is retried a few times, as a grant the consent service may not show yet is; either may resume it now.)
    await grant(child.code, [{ sector: 'ngo' }]);
    const [, resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', referralId, 2), 'the resumed routed', 10_000);
    expect(resumed!.data).toMatchObject({ referralId, ruleId: 'consent-granted' });
  });

  it('after a resume, names again the recipients still waiting (the resumed routed carries the whole plan)', async () => {
    const child = aChild();
    const event = submitted({ subjectRef: child.subjectRef, needCodes: ['parenting-support'], urgency: 'routine', ageBand: '13-15' });
    const plan = decideRouting(event.data, h.catalogue, h.rules);
    const ngo = plan.coWorkers.find((p) => p.sector === 'ngo')!;
    await publish(h.bus, topic, event);
    await eventually(atLeast('awaiting-consent', event.subject, 2), 'awaiting-consent for lead and NGO');
    expect(await router.timers.sla.describe(event.subject)).toBeUndefined();
    // Routing asks once more for the waiting recipients after publishing; a grant made before that
    // resumes right there (under the submitted event's ids). This test is about a grant made later.
    await routerIdle();

    const { consentId } = await grant(child.code, [{ organisationId: plan.lead.organisationId, serviceId: plan.lead.serviceId! }]);
    const [, resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 2), 'the resumed routed', 10_000);
    const granted = consentEvents.find((e) => e.subject === consentId)!;
    const all = await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', event.subject, 3), 'the NGO named again');
    const again = all[2]!;
    expect(again).toMatchObject({ id: derivedEventId(granted.id, `resume/${event.subject}/awaiting/${ngo.serviceId}`), data: { recipient: ngo } });
    const position = (id: string | undefined) => events.findIndex((e) => e.id === id);
    expect(position(again.id)).toBeGreaterThan(position(resumed?.id));
    expect(await eventually(() => router.timers.sla.describe(event.subject), 'the deadline, the lead being covered')).toMatchObject({ state: 'delayed' });
    expect(await router.memory.waiting(event.subject)).toEqual([ngo]);
  });

  it('sends a co-worker that needs consent nothing while the lead is routed and its deadline runs', async () => {
    const child = aChild();
    // family-support: family centre leads (consent), NGO family support co-works.
    const event = submitted({ subjectRef: child.subjectRef, needCodes: ['parenting-support'], urgency: 'routine', ageBand: '13-15' });
    const plan = decideRouting(event.data, h.catalogue, h.rules);
    const ngo = plan.coWorkers.find((p) => p.sector === 'ngo')!;
    expect(ngo).toBeDefined();
    await grant(child.code, [{ organisationId: plan.lead.organisationId, serviceId: plan.lead.serviceId! }]);
    await publish(h.bus, topic, event);

    const [awaiting] = await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', event.subject, 1), 'awaiting-consent');
    expect(awaiting?.data.recipient).toEqual(ngo);
    expect(await router.timers.sla.describe(event.subject)).toMatchObject({ state: 'delayed' });
    expect(await router.memory.waiting(event.subject)).toEqual([ngo]);

    await grant(child.code, [{ sector: 'ngo' }]);
    const [, resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 2), 'the resumed routed', 10_000);
    expect(resumed?.data).toMatchObject({ ruleId: 'consent-granted', lead: plan.lead, coWorkers: plan.coWorkers });
    expect(await router.memory.waiting(event.subject)).toEqual([]);
  });

  it('routes a child-welfare notification (LSL 25 §) to child welfare with no consent, and starts its deadline', async () => {
    const withRef = submitted({ legalBasis: 'lsl-25', subjectRef: aChild().subjectRef, needCodes: ['school-attendance'], urgency: 'routine' });
    const withoutRef = submitted({ legalBasis: 'lsl-25', needCodes: ['school-attendance'], urgency: 'routine' });
    delete (withoutRef.data as { subjectRef?: string }).subjectRef;
    for (const event of [withRef, withoutRef]) {
      await publish(h.bus, topic, event);
      const [routed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 1), 'routed');
      expect(routed?.data).toMatchObject({ ruleId: 'child-welfare-notification', coWorkers: [] });
      expect(h.catalogue.services.find((s) => s.id === routed?.data.lead.serviceId)?.kind).toBe('child-welfare');
      expect(await eventually(() => router.timers.sla.describe(event.subject), 'the deadline')).toMatchObject({ state: 'delayed' });
    }
    await sleep(500);
    expect([...ofVerb('awaiting-consent', withRef.subject), ...ofVerb('awaiting-consent', withoutRef.subject)]).toEqual([]);
  });

  it('does not gate a self-referral (the resident\'s own request), even without a subject reference', async () => {
    const event = submitted({ needCodes: ['loneliness-leisure'], urgency: 'routine', submitter: { organisationId: 'jyvaskyla-education', role: 'resident' } });
    delete (event.data as { subjectRef?: string }).subjectRef;
    const calls = decideCalls;
    await publish(h.bus, topic, event);
    const [routed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 1), 'routed');
    expect(routed?.data.lead.sector).toBe('ngo');
    expect(await eventually(() => router.timers.sla.describe(event.subject), 'the deadline')).toMatchObject({ state: 'delayed' });
    await sleep(300);
    expect(ofVerb('awaiting-consent', event.subject)).toEqual([]);
    expect(decideCalls).toBe(calls);
  });

  it('holds a referral without a subject reference that is no self-referral from every recipient the statute does not name', async () => {
    const event = submitted({ needCodes: ['loneliness-leisure'], urgency: 'routine' });
    delete (event.data as { subjectRef?: string }).subjectRef;
    await publish(h.bus, topic, event);
    const [awaiting] = await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', event.subject, 1), 'awaiting-consent');
    expect(awaiting?.data.recipient.sector).toBe('ngo');
    expect(await router.timers.sla.describe(event.subject)).toBeUndefined();
  });

  it('retries a grant the consent service does not show yet (its projection lags the topic), then resumes', async () => {
    const child = aChild();
    const event = submitted({ subjectRef: child.subjectRef, needCodes: ['loneliness-leisure'], urgency: 'routine' });
    await publish(h.bus, topic, event);
    await eventually(atLeast('awaiting-consent', event.subject, 1), 'awaiting-consent');
    lagging.set(child.subjectRef, 2);
    await grant(child.code, [{ sector: 'ngo' }]);
    const [, resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 2), 'the resumed routed', 10_000);
    expect(lagging.get(child.subjectRef)).toBe(0);
    expect(resumed?.data.ruleId).toBe('consent-granted');
  });

  it('fails closed: while the consent service does not answer nothing is routed; the retry routes', async () => {
    const event = submitted({ subjectRef: aChild().subjectRef, needCodes: ['loneliness-leisure'], urgency: 'routine' });
    consentDown = true;
    const calls = decideCalls;
    try {
      await publish(h.bus, topic, event);
      await eventually(() => (decideCalls > calls + 1 ? true : undefined), 'a retried question');
      expect(ofVerb('routed', event.subject)).toEqual([]);
    } finally {
      consentDown = false;
    }
    await eventually(atLeast('routed', event.subject, 1), 'routed after the retry');
    await eventually(atLeast('awaiting-consent', event.subject, 1), 'awaiting-consent after the retry');
  });

  /** The deadline falls due now (this router's deadlines are an hour): the running timer is replaced by one due at once. */
  const deadlinePassesNow = async (referralId: string, routedId: string) => {
    const record = (await router.memory.get(referralId))!;
    expect(await router.timers.sla.cancel(h.db, referralId)).toBe(true);
    const now = new Date();
    await router.timers.sla.schedule(h.db, { referralId, dueAt: now.toISOString(), sla: 'first-contact', causationid: routedId, referral: record }, now, now);
  };
  /** An NGO-led referral whose lead the child's consent covers (deadline running), its coordinator not. */
  const routedToCoveredNgo = async () => {
    const child = aChild();
    const event = submitted({ subjectRef: child.subjectRef, needCodes: ['loneliness-leisure'], urgency: 'routine', ageBand: '13-15' });
    const coordinator = coordinatorFor(event.data, h.catalogue);
    await grant(child.code, [{ sector: 'ngo' }]);
    await publish(h.bus, topic, event);
    const [routed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 1), 'routed');
    expect(await eventually(() => router.timers.sla.describe(event.subject), 'the deadline')).toMatchObject({ state: 'delayed' });
    expect(ofVerb('awaiting-consent', event.subject)).toEqual([]);
    return { child, event, routed: routed!, coordinator };
  };
  const position = (id: string | undefined) => events.findIndex((e) => e.id === id);

  it('hands a breached referral to a coordinator consent does not cover behind the gate (awaiting-consent, no new deadline); consent resumes it', async () => {
    const { child, event, routed, coordinator } = await routedToCoveredNgo();
    await deadlinePassesNow(event.subject, routed.id);
    const jobId = `sla-${event.subject}`;

    const [breach] = await eventually(atLeast('sla-breached', event.subject, 1), 'sla-breached', 15_000);
    expect(breach).toMatchObject({ id: derivedEventId(jobId, 'sla-breached'), data: { responsible: routed.data.lead } });
    const [, handover] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 2), 'the coordinator route');
    expect(handover).toMatchObject({ id: derivedEventId(jobId, 'routed'), data: { lead: coordinator, coWorkers: [], ruleId: 'sla-breached', viaCoordinator: true } });
    const [awaiting] = await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', event.subject, 1), 'awaiting-consent for the coordinator');
    expect(awaiting).toMatchObject({
      id: derivedEventId(jobId, `awaiting/${coordinator.serviceId}`), causationid: routed.id, correlationid: event.correlationid,
      data: { referralId: event.subject, recipient: coordinator, dataCategories: ['need-description'], purpose: 'service-provision' },
    });
    expect(position(awaiting?.id)).toBeGreaterThan(position(handover?.id));
    expect(position(handover?.id)).toBeGreaterThan(position(breach?.id));
    expect(await router.memory.waiting(event.subject)).toEqual([coordinator]);
    expect(await router.memory.waitingReferrals(child.subjectRef)).toEqual([event.subject]);
    expect(await router.memory.get(event.subject)).toMatchObject({ lead: coordinator, viaCoordinator: true });
    // The fired deadline stays the only one: nothing new is scheduled for the uncovered coordinator.
    expect(await eventually(async () => ((await router.timers.sla.describe(event.subject))?.state === 'completed' ? true : undefined), 'the job done')).toBe(true);

    const { consentId } = await grant(child.code, [{ organisationId: coordinator.organisationId, serviceId: coordinator.serviceId! }]);
    const [, , resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 3), 'the resumed routed', 10_000);
    const granted = consentEvents.find((e) => e.subject === consentId)!;
    expect(resumed).toMatchObject({
      id: derivedEventId(granted.id, `resume/${event.subject}`),
      data: { lead: coordinator, coWorkers: [], ruleId: 'consent-granted', viaCoordinator: true },
    });
    // The router forgets the waiting recipients in the transaction that writes the resumed events to the outbox.
    await routerIdle();
    expect(await router.memory.waiting(event.subject)).toEqual([]);
    expect(await router.memory.waitingReferrals(child.subjectRef)).toEqual([]);
    await sleep(300);
    expect(ofVerb('awaiting-consent', event.subject)).toHaveLength(1);
    expect(ofVerb('sla-breached', event.subject)).toHaveLength(1);
  });

  it('hands a referral the lead declines to a coordinator consent does not cover behind the gate: deadline stopped until consent resumes it', async () => {
    const { child, event, routed, coordinator } = await routedToCoveredNgo();
    const declined = lifecycle<ReferralDeclinedV1>('declined', routed, { referralId: event.subject, by: routed.data.lead, reasonCode: 'no-capacity', declinedAt: new Date().toISOString() });
    await publish(h.bus, topic, declined);

    const [, handover] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 2), 'the coordinator route');
    expect(handover).toMatchObject({ id: derivedEventId(declined.id, 'routed'), causationid: declined.id, data: { lead: coordinator, coWorkers: [], ruleId: 'lead-declined', viaCoordinator: true } });
    const [awaiting] = await eventually(atLeast<ReferralAwaitingConsentV1>('awaiting-consent', event.subject, 1), 'awaiting-consent for the coordinator');
    expect(awaiting).toMatchObject({ id: derivedEventId(declined.id, `awaiting/${coordinator.serviceId}`), causationid: declined.id, data: { recipient: coordinator } });
    expect(position(awaiting?.id)).toBeGreaterThan(position(handover?.id));
    expect(await eventually(async () => ((await router.timers.sla.describe(event.subject)) === undefined ? true : undefined), 'the deadline stopped')).toBe(true);
    expect(await router.memory.waiting(event.subject)).toEqual([coordinator]);
    expect(await router.memory.get(event.subject)).toMatchObject({ lead: coordinator, viaCoordinator: true });

    await grant(child.code, [{ organisationId: coordinator.organisationId, serviceId: coordinator.serviceId! }]);
    const [, , resumed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 3), 'the resumed routed', 10_000);
    expect(resumed?.data).toMatchObject({ lead: coordinator, coWorkers: [], ruleId: 'consent-granted', viaCoordinator: true });
    expect(await eventually(() => router.timers.sla.describe(event.subject), 'the deadline, the coordinator being covered')).toMatchObject({ state: 'delayed' });
    expect(await router.memory.waiting(event.subject)).toEqual([]);
    expect(await router.memory.waitingReferrals(child.subjectRef)).toEqual([]);
  });

  it('hands a child-welfare notification (LSL 25 §) over to the coordinator with no consent, after a breach and after a decline', async () => {
    for (const handOver of ['breach', 'decline'] as const) {
      const event = submitted({ legalBasis: 'lsl-25', subjectRef: aChild().subjectRef, needCodes: ['school-attendance'], urgency: 'routine' });
      const coordinator = coordinatorFor(event.data, h.catalogue);
      await publish(h.bus, topic, event);
      const [routed] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 1), 'routed');
      expect(await eventually(() => router.timers.sla.describe(event.subject), 'the deadline')).toMatchObject({ state: 'delayed' });
      if (handOver === 'breach') await deadlinePassesNow(event.subject, routed!.id);
      else await publish(h.bus, topic, lifecycle<ReferralDeclinedV1>('declined', routed!, { referralId: event.subject, by: routed!.data.lead, reasonCode: 'no-capacity', declinedAt: new Date().toISOString() }));
      const [, handover] = await eventually(atLeast<ReferralRoutedV1>('routed', event.subject, 2), `the coordinator route after a ${handOver}`, 15_000);
      expect(handover?.data).toMatchObject({ lead: coordinator, ruleId: handOver === 'breach' ? 'sla-breached' : 'lead-declined', viaCoordinator: true });
      if (handOver === 'decline') expect(await router.timers.sla.describe(event.subject)).toMatchObject({ state: 'delayed' }); // the deadline carries on, now on the coordinator
      await sleep(500);
      expect(ofVerb('awaiting-consent', event.subject)).toEqual([]);
      expect(await router.memory.waiting(event.subject)).toEqual([]);
    }
  });
});
