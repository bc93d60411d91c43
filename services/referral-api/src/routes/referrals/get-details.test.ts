import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProjection } from '@polku/projection';
import type { CloudEvent } from '@polku/contracts';
import { verifyEventSignature } from '@polku/disclosure-log';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { teacherReferral } from '../../testing/fixtures';
import { eventually, logLines, readRecords, startHarness, type Harness } from '../../testing/harness';
import { referralEvent, routed } from '../../testing/referral-events';
import { permission } from '../../testing/test-consent';
import { deliveryIdOf } from '../../disclosure/claim-details';

/** Recipients as the router names them, with catalogue services. */
const YOUTH_WORK = { organisationId: 'keski-suomen-setlementti', serviceId: 'setlementti-youth-services', sector: 'ngo' } as const;
const CHILD_WELFARE = { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-child-welfare-jyvaskyla', sector: 'social-services' } as const;

interface Answer {
  referralId: string;
  disclosureId: string;
  dataCategories: string[];
  basis: { kind: string; consentIds?: string[]; statute?: string; referralId?: string };
  details: Record<string, unknown>;
}

describe('GET /v1/referrals/:id/details (claim check)', () => {
  let h: Harness;
  let projections: RunningProjection[];
  const personal: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
    projections = [await h.startProjection(), await h.startDisclosureProjection()];
  });
  afterAll(async () => {
    for (const p of projections ?? []) await p.stop();
    await h?.close();
  });

  const details = (id: string, key: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url: `/v1/referrals/${id}/details`, headers: { 'x-api-key': key, ...headers } });

  /** Submits a referral, routes it to `lead`, and waits until the status knows the recipient. */
  async function routedReferral(body: object, key: string, lead: object = YOUTH_WORK, headers: Record<string, string> = {}) {
    const answer = await h.app.inject({ method: 'POST', url: '/v1/referrals', payload: body, headers: { 'x-api-key': key, ...headers } });
    expect(answer.statusCode, answer.body).toBe(202);
    const id = answer.json<{ id: string }>().id;
    await eventually(async () => ((await h.statusStore.getRecord(id))?.timeline.length ? true : undefined), `submitted ${id}`);
    await h.bus.publish(h.topic, routed(id, lead, []));
    await eventually(async () => ((await h.statusStore.getRecord(id))?.timeline.length === 2 ? true : undefined), `routed ${id}`);
    return id;
  }

  async function teacherCase(legalBasis = 'consent', lead: object = YOUTH_WORK) {
    const fixture = teacherReferral();
    personal.push(...fixture.personalValues);
    const body = { ...fixture.body, legalBasis };
    const id = await routedReferral(body, h.keys.school, lead);
    return { id, body, subjectRef: subjectRefOf(parseIdentityCode(body.child.identityCode)!.normalised, h.pseudonymKey) };
  }

  /** Every record on the disclosure topic now (each publish is acknowledged before the answer). */
  const disclosureEvents = async () =>
    (await readRecords(h.disclosureTopic, await h.topicSize(h.disclosureTopic))).map((r) => ({ raw: r.value!.toString(), key: r.key?.toString(), event: JSON.parse(r.value!.toString()) as CloudEvent }));

  it('refuses without consent (logged), releases only the consented categories once granted, and refuses again right after a withdrawal', async () => {
    const { id, body, subjectRef } = await teacherCase();

    const refused = await details(id, h.keys.lead);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.json()).toMatchObject({ code: 'DISCLOSURE_REFUSED', type: 'urn:polku:problem:disclosure-refused', reason: 'no-consent', reasonCode: 'no-consent' });
    expect(refused.body).not.toContain(body.child.lastName);

    const granted = permission(subjectRef, [{ organisationId: YOUTH_WORK.organisationId }], ['contact', 'need-description']);
    h.consent.records = [granted];
    const released = await details(id, h.keys.lead, { 'x-polku-user': 'ngo.email' });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.headers['cache-control']).toBe('no-store');
    const answer = released.json<Answer>();
    expect(answer).toMatchObject({ referralId: id, dataCategories: ['contact', 'need-description'], basis: { kind: 'consent', consentIds: [granted.consentId] } });
    expect(answer.details).toEqual({ contact: body.contact, description: body.description, needCodes: body.needCodes, urgency: body.urgency });
    expect(h.consent.questions.at(-1)).toMatchObject({ subjectRef, recipient: YOUTH_WORK, dataCategories: ['identity', 'contact', 'guardians', 'need-description'], purpose: 'service-provision', legalBasis: 'consent' });

    h.consent.records = [{ ...granted, status: 'withdrawn', changedAt: new Date().toISOString() }];
    const withdrawnAt = performance.now();
    const after = await details(id, h.keys.lead);
    const gapMs = performance.now() - withdrawnAt;
    process.stdout.write(`withdrawal → refused details fetch: ${gapMs.toFixed(1)} ms\n`);
    expect(after.statusCode).toBe(403);
    expect(after.json()).toMatchObject({ code: 'DISCLOSURE_REFUSED', reason: 'withdrawn', reasonCode: 'consent-withdrawn' });
    expect(gapMs).toBeLessThan(1000);

    const events = (await disclosureEvents()).filter((e) => e.event.subject === subjectRef);
    expect(events.map((e) => e.event.type)).toEqual(['fi.polku.disclosure.refused.v1', 'fi.polku.disclosure.disclosed.v2', 'fi.polku.disclosure.refused.v1']);
    expect(events.every((e) => e.key === subjectRef)).toBe(true);
    // Each entry is signed by the API that wrote it, as it stands on the topic.
    expect(events.map((e) => verifyEventSignature(e.event, h.disclosureKeyring))).toEqual(events.map(() => ({ ok: true, keyId: 'referral-api-test' })));
    expect(events[0]!.event.data).toMatchObject({ subjectRef, referralId: id, recipient: { organisationId: YOUTH_WORK.organisationId, systemId: 'test-lead' }, reasonCode: 'no-consent', purpose: 'service-provision', dataCategories: ['identity', 'contact', 'guardians', 'need-description'] });
    expect(events[1]!.event).toMatchObject({ legalbasis: 'consent', consentid: granted.consentId, correlationid: id });
    expect(events[1]!.event.data).toEqual({
      disclosureId: answer.disclosureId, subjectRef, referralId: id,
      recipient: { organisationId: YOUTH_WORK.organisationId, systemId: 'test-lead', userRef: 'ngo_email' },
      dataCategories: ['contact', 'need-description'], fields: ['contact', 'description', 'needCodes', 'urgency'], purpose: 'service-provision',
      basis: { kind: 'consent', consentId: granted.consentId }, at: expect.any(String),
    });
    expect(events[2]!.event.data).toMatchObject({ reasonCode: 'consent-withdrawn' });
  });

  it('refuses a sibling service of the same wellbeing area (NOT_FOR_YOUR_SERVICE), logged, and never asks the consent service for it', async () => {
    const { id, subjectRef } = await teacherCase('lsl-25', CHILD_WELFARE);
    const asked = h.consent.questions.length;
    const refused = await details(id, h.keys.mentalHealth);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'NOT_FOR_YOUR_SERVICE', reason: 'not-a-recipient', reasonCode: 'recipient-not-covered' });
    expect(h.consent.questions.length).toBe(asked);
    const events = (await disclosureEvents()).filter((e) => e.event.subject === subjectRef);
    expect(events.map((e) => e.event.type)).toEqual(['fi.polku.disclosure.refused.v1']);
    expect((await details(id, h.keys.childWelfare)).statusCode).toBe(200);
  });

  it('releases no need codes or urgency without need-description, and logs exactly the fields released (finding 4)', async () => {
    const { id, body, subjectRef } = await teacherCase();
    h.consent.records = [permission(subjectRef, [{ organisationId: YOUTH_WORK.organisationId }], ['contact'])];
    const released = await details(id, h.keys.lead);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json<Answer>().details).toEqual({ contact: body.contact });
    const logged = (await disclosureEvents()).filter((e) => e.event.subject === subjectRef);
    expect(logged.map((e) => e.event.type)).toEqual(['fi.polku.disclosure.disclosed.v2']);
    expect(logged[0]!.event.data).toMatchObject({ dataCategories: ['contact'], fields: ['contact'] });
  });

  it('logs the fetches of one delivery (X-Polku-Delivery, the caller\'s own) once, however often it is retried', async () => {
    const { id, subjectRef } = await teacherCase();
    h.consent.records = [permission(subjectRef, [{ organisationId: YOUTH_WORK.organisationId }], ['contact', 'need-description'])];
    const deliveryId = deliveryIdOf(id, YOUTH_WORK);
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt += 1) answers.push(await details(id, h.keys.lead, { 'x-polku-delivery': deliveryId }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.json<Answer>().disclosureId)).size).toBe(1);
    // A delivery id that is not this caller's delivery of this referral is no delivery: logged every time.
    await details(id, h.keys.lead, { 'x-polku-delivery': '00000000-0000-4000-8000-000000000000' });
    const logged = (await disclosureEvents()).filter((e) => e.event.subject === subjectRef);
    expect(logged.map((e) => (e.event.data as { deliveryId?: string }).deliveryId)).toEqual([deliveryId, undefined]);
  });

  it('refuses an organisation the referral was not routed to, and logs that refusal too', async () => {
    const { id, subjectRef } = await teacherCase();
    h.consent.records = [permission(subjectRef, [{ sector: 'education' }], ['contact'])];
    const refused = await details(id, h.keys.otherSchool);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'NOT_A_RECIPIENT', reason: 'not-a-recipient', reasonCode: 'recipient-not-covered' });
    const logged = (await disclosureEvents()).find((e) => e.event.subject === subjectRef)!;
    expect(logged.event.data).toMatchObject({ recipient: { organisationId: 'laukaa-education' }, reasonCode: 'recipient-not-covered' });
  });

  it('releases a child-welfare notification to child welfare with no consent, under LSL 25 §', async () => {
    h.consent.records = [];
    const { id, body, subjectRef } = await teacherCase('lsl-25', CHILD_WELFARE);
    const released = await details(id, h.keys.childWelfare);
    expect(released.statusCode, released.body).toBe(200);
    const answer = released.json<Answer>();
    expect(answer.basis).toEqual({ kind: 'statute', statute: 'LSL 25 §' });
    expect(answer.dataCategories).toEqual(['identity', 'contact', 'guardians', 'need-description']);
    expect(answer.details).toEqual({
      child: { identityCode: body.child.identityCode, firstName: body.child.firstName, lastName: body.child.lastName },
      contact: body.contact, guardians: body.guardians, description: body.description, needCodes: body.needCodes, urgency: body.urgency,
    });
    expect(h.consent.questions.at(-1)).toMatchObject({ purpose: 'child-welfare-assessment', legalBasis: 'lsl-25', recipient: CHILD_WELFARE });
    const logged = (await disclosureEvents()).find((e) => e.event.subject === subjectRef)!;
    expect(logged.event).toMatchObject({ type: 'fi.polku.disclosure.disclosed.v2', legalbasis: 'lsl-25' });
    expect(logged.event.data).toMatchObject({ basis: { kind: 'statute', statute: 'lsl-25' }, purpose: 'child-welfare-assessment' });

    // The same statute does not reach an NGO: NGOs always need consent.
    const ngo = await teacherCase('lsl-25', YOUTH_WORK);
    expect((await details(ngo.id, h.keys.lead)).json()).toMatchObject({ code: 'DISCLOSURE_REFUSED', reason: 'no-consent' });
  });

  it('releases a resident\'s own self-referral to its recipients, logged under a subject ref of the referral', async () => {
    const fixture = teacherReferral();
    personal.push(...fixture.personalValues);
    const { identityCode, ...child } = fixture.body.child;
    const body = { ...fixture.body, submitter: { role: 'resident' }, child: { ...child, birthDate: '2012-04-01' } };
    const id = await routedReferral(body, h.keys.residentPortal, YOUTH_WORK, { 'x-polku-person-assertion': await h.eService.assert({ identityCode }) });
    const released = await details(id, h.keys.lead);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json<Answer>()).toMatchObject({ basis: { kind: 'self-referral', referralId: id }, details: { child: { firstName: child.firstName, birthDate: '2012-04-01' } } });
    // The subject is the identified person; the self-referral itself stands in as the consent.
    const subject = subjectRefOf(parseIdentityCode(identityCode)!.normalised, h.pseudonymKey);
    const logged = (await disclosureEvents()).find((e) => e.event.subject === subject && (e.event.data as { referralId: string }).referralId === id)!;
    expect(logged.event.data).toMatchObject({ basis: { kind: 'consent', consentId: id }, subjectRef: subject });
  });

  it('fails closed: 503 and nothing released or logged when the consent service does not answer', async () => {
    const { id } = await teacherCase();
    const before = await h.topicSize(h.disclosureTopic);
    h.consent.unavailable = true;
    try {
      const answer = await details(id, h.keys.lead);
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toMatchObject({ code: 'CONSENT_UNAVAILABLE' });
      expect(answer.json()).not.toHaveProperty('details');
    } finally {
      h.consent.unavailable = false;
    }
    expect(await h.topicSize(h.disclosureTopic)).toBe(before);
  });

  it('answers 410 once the details were erased after the referral closed, and releases nothing', async () => {
    const { id, subjectRef } = await teacherCase();
    h.consent.records = [permission(subjectRef, [{ sector: 'ngo' }], ['identity', 'contact'])];
    expect((await details(id, h.keys.lead)).statusCode).toBe(200);
    await h.bus.publish(h.topic, referralEvent('closed', id, { reason: 'helped', closedBy: YOUTH_WORK, closedAt: new Date().toISOString() }));
    // The harness erases right when a referral closes (retention 0), once the janitor sweeps.
    await eventually(async () => ((await h.vault.eraseDue(new Date())) > 0 ? true : undefined), 'the details erased');
    const erased = await details(id, h.keys.lead);
    expect(erased.statusCode).toBe(410);
    expect(erased.json()).toMatchObject({ code: 'DETAILS_ERASED' });
    expect(erased.json()).not.toHaveProperty('details');
  });

  it('answers 403 to a key without the recipient role, 404 to an unknown referral, 400 to a bad user ref, 401 without a key', async () => {
    const { id } = await teacherCase();
    expect((await details(id, h.keys.operator)).json()).toMatchObject({ status: 403, code: 'DETAILS_NOT_FOR_OPERATORS' });
    expect((await details('0b5f6a1e-3c1d-4b7e-9a51-2f0c6d8e4a10', h.keys.operator)).json()).toMatchObject({ status: 403, code: 'DETAILS_NOT_FOR_OPERATORS' });
    expect((await details(id, h.keys.auditor)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await details('0b5f6a1e-3c1d-4b7e-9a51-2f0c6d8e4a10', h.keys.lead)).json()).toMatchObject({ status: 404, code: 'REFERRAL_NOT_FOUND' });
    expect((await details(id, h.keys.lead, { 'x-polku-user': 'Aino Testilä' })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: `/v1/referrals/${id}/details` })).statusCode).toBe(401);
  });

  it('answers the resident\'s two-year question with every release and refusal of the subject, in order, and nothing of others', async () => {
    const { id, body, subjectRef } = await teacherCase();
    await details(id, h.keys.lead);
    h.consent.records = [permission(subjectRef, [{ sector: 'ngo' }], ['contact'])];
    await details(id, h.keys.lead, { 'x-polku-user': 'u-1' });
    await details(id, h.keys.otherSchool);
    const assertion = await h.eService.assert({ identityCode: body.child.identityCode! });
    const lookup = () => h.app.inject({ method: 'POST', url: '/v1/subjects/disclosures/lookup', headers: { 'x-api-key': h.keys.residentView, 'x-polku-person-assertion': assertion }, payload: { identityCode: body.child.identityCode } });
    const answer = await eventually(async () => {
      const a = await lookup();
      return a.statusCode === 200 && a.json<{ disclosures: unknown[] }>().disclosures.length >= 3 ? a.json<{ subjectRef: string; disclosures: Array<Record<string, unknown>> }>() : undefined;
    }, 'three entries in the resident\'s log');
    expect(answer.subjectRef).toBe(subjectRef);
    expect(answer.disclosures.map((e) => [e['outcome'], e['reasonCode'] ?? null])).toEqual([['refused', 'no-consent'], ['disclosed', null], ['refused', 'recipient-not-covered']]);
    expect(answer.disclosures.every((e) => e['subjectRef'] === subjectRef)).toBe(true);
    const asAuditor = await h.app.inject({ method: 'GET', url: `/v1/subjects/${subjectRef}/disclosures`, headers: { 'x-api-key': h.keys.auditor } });
    expect(asAuditor.json<{ disclosures: unknown[] }>().disclosures).toEqual(answer.disclosures);
  });

  it('put no identity code, name, contact or description on the disclosure topic or in the log', async () => {
    const records = await readRecords(h.disclosureTopic, await h.topicSize(h.disclosureTopic));
    expect(records.length).toBeGreaterThan(5);
    const raw = records.map((r) => r.value!.toString());
    expect(personal.filter((value) => raw.some((r) => r.includes(value)))).toEqual([]);
    expect(personal.filter((value) => logLines.some((l) => l.includes(value)))).toEqual([]);
    expect(logLines.some((line) => line.includes('details released'))).toBe(true);
  });
});
