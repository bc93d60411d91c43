import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { parseIdentityCode, syntheticIdentityCode } from '@polku/personal-data';
import { readFileSync } from 'node:fs';
import { FAMILY_CENTRE, childCode, decisionBody, dropKeys, freshTopic, openHarness, permissionBody, recordTopic, startInstance, unique, eventually, type Harness, type Instance } from './helpers';

const SUBMITTED = JSON.parse(readFileSync(new URL('../../../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url), 'utf8')) as { data: Record<string, unknown> };
const GUARDIAN = syntheticIdentityCode({ year: 1980, month: 1, day: 1 }, 926);

describe('the consent ledger over HTTP (real broker and Redis)', () => {
  let h: Harness;
  let service: Instance;
  let topic: string;
  let events: CloudEvent[];
  let disclosures: CloudEvent[];
  const projectionName = `consent-${randomUUID().slice(0, 8)}`;
  const queuePrefix = unique('q');

  beforeAll(async () => {
    h = await openHarness();
    topic = await freshTopic(h.bus);
    service = await startInstance(h, { topic, projectionName, queuePrefix });
    events = await recordTopic(h.bus, topic);
    disclosures = await recordTopic(h.bus, h.disclosureTopic);
  });
  afterAll(async () => {
    await service?.stop();
    await dropKeys(h.redis, queuePrefix);
    await h?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
    service.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const grant = async (body: Record<string, unknown>, path = '/v1/consents') => {
    const response = await call('POST', path, h.keys.recorder, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const decide = async (body: Record<string, unknown>) => (await call('POST', '/v1/decisions', h.keys.operator, body)).json();

  it('records a permission, answers with a receipt, and publishes the whole record without the identity code', async () => {
    const code = childCode();
    const response = await call('POST', '/v1/consents', h.keys.recorder, permissionBody(code, { grantor: { role: 'guardian', identityCode: childCode() } }));
    expect(response.statusCode, response.body).toBe(201);
    const { consent, receipt } = response.json();
    expect(consent).toMatchObject({ kind: 'permission', status: 'active', grantor: { role: 'guardian' }, recordedBy: { organisationId: 'jyvaskyla-education', professionalRef: 'u-48213' } });
    expect(consent.subjectRef).toMatch(/^sr_[A-Za-z0-9_-]{43}$/);
    expect(response.headers['location']).toBe(`http://consent.test/v1/consents/${consent.consentId}`);
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0', jurisdiction: 'FI', language: 'fi', consentReceiptID: consent.consentId, piiPrincipalId: consent.subjectRef,
      policyUrl: 'http://consent.test/privacy', sensitive: true, spiCat: [],
      piiControllers: [{ organisationId: 'jyvaskyla-education', piiController: expect.stringContaining('Jyväskylän kaupunki') }],
      services: [{ service: expect.stringContaining('Keski-Suomen hyvinvointialue'), purposes: [{ purpose: 'guidance', consentType: 'EXPLICIT', piiCategory: ['contact', 'need-description'], primaryPurpose: true, termination: consent.validUntil, thirdPartyDisclosure: true }] }],
    });

    const [event] = await eventually(() => { const e = events.filter((x) => x.subject === consent.consentId); return e.length > 0 ? e : undefined; }, 'granted event');
    expect(event).toMatchObject({ type: 'fi.polku.consent.granted.v2', source: '/polku/consent', consentid: consent.consentId, data: consent });
    const wire = JSON.stringify(event);
    expect(wire).not.toContain(code);
    expect(wire).not.toContain(parseIdentityCode(code)!.normalised.slice(0, 6));
    expect(wire).not.toMatch(/\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y]/);
  });

  it('records a retried request with the same Idempotency-Key once, and refuses the key with another body', async () => {
    const body = permissionBody(childCode());
    const key = `consent-${Date.now()}`;
    const post = (payload: unknown, path = '/v1/consents') => service.app.inject({ method: 'POST', url: path, headers: { 'x-api-key': h.keys.recorder, 'idempotency-key': key }, payload: payload as object });
    const first = await post(body);
    const [second, third] = await Promise.all([post(body), post(body)]);
    expect(first.statusCode).toBe(201);
    for (const retry of [second, third]) {
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(retry.headers['idempotent-replayed']).toBe('true');
    }
    const consentId = first.json().consent.consentId;
    await eventually(() => events.some((e) => e.subject === consentId) || undefined, 'the granted event');
    const { rows } = await h.db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE event ->> 'type' = 'fi.polku.consent.granted.v2' AND event -> 'data' ->> 'subjectRef' = $1", [first.json().consent.subjectRef]);
    expect(Number(rows[0]!.n)).toBe(1);
    const reused = await post(permissionBody(childCode()));
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // A ban is another request: the same key with the same body at another path is not a replay.
    expect((await post(body, '/v1/bans')).statusCode).toBe(409);
  });

  it('refuses an invalid identity code naming the field, without echoing it', async () => {
    const bad = '150512A123X';
    const response = await call('POST', '/v1/consents', h.keys.recorder, permissionBody(bad));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: '/subject/identityCode', in: 'body', message: 'is not a valid Finnish personal identity code' }]);
    expect(response.body).not.toContain(bad);
  });

  it('refuses unknown catalogue references and a permission without an end, all at once', async () => {
    const response = await call('POST', '/v1/consents', h.keys.recorder, permissionBody(childCode(), {
      recipients: [{ organisationId: 'no-such-org' }, { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'jkl-basic-education' }],
      validUntil: undefined,
    }));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/recipients/0/organisationId', '/recipients/1/serviceId', '/validUntil']);
  });

  it('after the withdraw call returns, the next decision refuses', async () => {
    const { consent } = await grant(permissionBody(childCode()));
    expect(await decide(decisionBody(consent.subjectRef))).toEqual({ allowed: true, basis: { kind: 'consent', consentIds: [consent.consentId] }, dataCategories: ['contact'] });

    const withdrawn = await call('POST', `/v1/consents/${consent.consentId}/withdraw`, h.keys.recorder);
    const returned = performance.now();
    const decision = await decide(decisionBody(consent.subjectRef));
    const gapMs = performance.now() - returned;
    console.log(`withdraw returned → decision refused in ${gapMs.toFixed(1)} ms`);

    expect(withdrawn.json()).toMatchObject({ consentId: consent.consentId, status: 'withdrawn' });
    expect(decision).toMatchObject({ allowed: false, reason: 'withdrawn' });
    expect(gapMs).toBeLessThan(1000);
    await eventually(() => (events.some((e) => e.type === 'fi.polku.consent.withdrawn.v2' && e.subject === consent.consentId) ? true : undefined), 'withdrawn event');
    expect((await call('POST', `/v1/consents/${consent.consentId}/withdraw`, h.keys.recorder)).json()).toMatchObject({ status: 409, code: 'CONSENT_NOT_ACTIVE' });
  });

  it("minor's ban beats guardian's permission", async () => {
    const code = childCode();
    const { consent } = await grant(permissionBody(code));
    await grant(permissionBody(code, { grantor: { role: 'self' }, minorDecidesPersonally: true, recipients: [{ sector: 'social-services' }], validUntil: undefined }), '/v1/bans');
    expect(await decide(decisionBody(consent.subjectRef))).toMatchObject({ allowed: false, reason: 'banned' });
  });

  it('allows a child-welfare notification by statute, and never to an NGO without consent', async () => {
    const { consent } = await grant(permissionBody(childCode()));
    const childWelfare = { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-child-welfare-jyvaskyla' };
    expect(await decide(decisionBody(consent.subjectRef, { recipient: childWelfare, legalBasis: 'lsl-25', dataCategories: ['identity'] }))).toEqual({
      allowed: true, basis: { kind: 'statute', statute: 'LSL 25 §' }, dataCategories: ['identity'],
    });
    const ngo = { organisationId: 'mll-keski-suomi', serviceId: 'mll-family-support', sector: 'ngo' };
    expect(await decide(decisionBody(consent.subjectRef, { recipient: ngo, legalBasis: 'lsl-25' }))).toMatchObject({ allowed: false, reason: 'not-covered' });
    const wrongSector = await call('POST', '/v1/decisions', h.keys.operator, decisionBody(consent.subjectRef, { recipient: { ...ngo, sector: 'social-services' } }));
    expect(wrongSector.json().errors).toEqual([expect.objectContaining({ field: '/recipient/sector' })]);
  });

  const routeReferral = async (subjectRef: string, serviceId: string) => {
    const referralId = randomUUID();
    const at = new Date().toISOString();
    await h.bus.publish(h.referralTopic, createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: referralId, data: { ...SUBMITTED.data, referralId, subjectRef, submittedAt: at } }) as unknown as CloudEvent);
    await h.bus.publish(h.referralTopic, createEvent('fi.polku.referral.routed.v1', { source: '/polku/router', subject: referralId, data: {
      referralId, lead: { organisationId: 'keski-suomen-hyvinvointialue', serviceId, sector: 'social-services' }, coWorkers: [], ruleId: 'test', viaCoordinator: false, routedAt: at,
    } }) as unknown as CloudEvent);
  };
  const asPerson = async (identityCode: string, guardianOf?: string[]) => ({ 'x-polku-person-assertion': await h.eService.assert({ identityCode, ...(guardianOf ? { guardianOf } : {}) }) });
  const personCall = async (method: 'GET' | 'POST', url: string, person: Record<string, string>, payload?: unknown) =>
    service.app.inject({ method, url, headers: { 'x-api-key': h.keys.resident, ...person }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('shows a subject\'s consents only to professionals of a service a referral was routed to, and logs every lookup', async () => {
    const code = childCode();
    const first = (await grant(permissionBody(code))).consent;
    await grant(permissionBody(code, { recipients: [{ sector: 'ngo' }] }));
    const forbidden = await call('GET', `/v1/subjects/${first.subjectRef}/consents`, h.keys.familyCentre);
    expect([forbidden.statusCode, forbidden.json().code]).toEqual([403, 'CONSENT_LOOKUP_FORBIDDEN']);
    expect((await call('POST', '/v1/subjects/consents/lookup', h.keys.recorder, { identityCode: code })).json().code).toBe('CONSENT_LOOKUP_FORBIDDEN');
    expect((await call('POST', '/v1/subjects/consents/lookup', h.keys.operator, { identityCode: code })).json().code).toBe('CONSENT_LOOKUP_FORBIDDEN');

    await routeReferral(first.subjectRef, 'ksh-family-centre-jyvaskyla');
    const byRef = await eventually(async () => {
      const answer = await call('GET', `/v1/subjects/${first.subjectRef}/consents`, h.keys.familyCentre);
      return answer.statusCode === 200 ? (answer.json() as { consents: unknown[] }) : undefined;
    }, 'lookup allowed once the referral is routed');
    expect(byRef.consents).toHaveLength(2);
    expect((await call('POST', '/v1/subjects/consents/lookup', h.keys.ngo, { identityCode: code })).json().code).toBe('CONSENT_LOOKUP_FORBIDDEN');

    const viewed = await eventually(() => disclosures.find((e) => e.type === 'fi.polku.disclosure.consents-viewed.v1' && e.subject === first.subjectRef), 'consents-viewed entry');
    expect(viewed.data).toMatchObject({ viewer: { kind: 'organisation', organisationId: 'keski-suomen-hyvinvointialue', serviceIds: ['ksh-family-centre-jyvaskyla'] }, ground: 'referral-routed-to-service', shown: 2, withheld: 0 });
    expect(JSON.stringify(viewed)).not.toContain(code);
  });

  it('shows a resident their own, and a guardian their child\'s except what the minor decided personally', async () => {
    const code = childCode();
    const guardian = GUARDIAN;
    const mine = await grant(permissionBody(code, { grantor: { role: 'self', identityCode: code }, minorDecidesPersonally: true, recipients: [{ sector: 'ngo' }] }), '/v1/bans');
    await grant(permissionBody(code));
    const own = await personCall('POST', '/v1/subjects/consents/lookup', await asPerson(code), { identityCode: code });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().consents).toHaveLength(2);
    expect(own.json().consents[0].recordedBy).toEqual({ organisationId: 'jyvaskyla-education', systemId: 'test-system', channel: 'professional' });
    const asGuardian = await personCall('POST', '/v1/subjects/consents/lookup', await asPerson(guardian, [code]), { identityCode: code });
    expect(asGuardian.json().consents.map((c: { consentId: string }) => c.consentId)).not.toContain(mine.consent.consentId);
    expect(asGuardian.json().consents).toHaveLength(1);
    const stranger = await personCall('POST', '/v1/subjects/consents/lookup', await asPerson(guardian), { identityCode: code });
    expect([stranger.statusCode, stranger.json().code]).toEqual([403, 'CONSENT_LOOKUP_FORBIDDEN']);
  });

  it("lets only the grantor or the recording organisation withdraw, a minor's ban included", async () => {
    const code = childCode();
    const ban = (await grant(permissionBody(code, { grantor: { role: 'self', identityCode: code }, minorDecidesPersonally: true, recipients: [{ sector: 'social-services' }], validUntil: undefined }), '/v1/bans')).consent;
    const foreign = await call('POST', `/v1/consents/${ban.consentId}/withdraw`, h.keys.familyCentre);
    expect([foreign.statusCode, foreign.json().code]).toEqual([403, 'CONSENT_WITHDRAW_FORBIDDEN']);
    const guardian = await personCall('POST', `/v1/consents/${ban.consentId}/withdraw`, await asPerson(GUARDIAN, [code]));
    expect([guardian.statusCode, guardian.json().code]).toEqual([403, 'CONSENT_WITHDRAW_FORBIDDEN']);
    expect(await decide(decisionBody(ban.subjectRef, { recipient: FAMILY_CENTRE }))).toMatchObject({ allowed: false });
    expect((await call('GET', `/v1/consents/${ban.consentId}`, h.keys.recorder)).json().consent.status).toBe('active');

    const byMinor = await personCall('POST', `/v1/consents/${ban.consentId}/withdraw`, await asPerson(code), { reason: 'grantor-request' });
    expect(byMinor.statusCode, byMinor.body).toBe(200);
    expect(byMinor.json().withdrawal).toMatchObject({ by: { kind: 'person', personRef: ban.grantor.ref, role: 'self' }, reason: 'grantor-request' });

    const permission = (await grant(permissionBody(childCode()))).consent;
    const byRecorder = await call('POST', `/v1/consents/${permission.consentId}/withdraw`, h.keys.recorder, { reason: 'recorded-in-error' });
    expect(byRecorder.json().withdrawal).toMatchObject({ by: { kind: 'organisation', organisationId: 'jyvaskyla-education', systemId: 'test-system' }, reason: 'recorded-in-error' });
    await eventually(() => events.find((e) => e.type === 'fi.polku.consent.withdrawn.v2' && e.subject === permission.consentId), 'withdrawn v2 event');
  });

  it('lets a person record through the resident e-service only as the subject or their guardian', async () => {
    const code = childCode();
    const { recordedBy: _none, ...body } = permissionBody(code);
    const refused = await personCall('POST', '/v1/consents', await asPerson(GUARDIAN), body);
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'GRANTOR_NOT_THE_PERSON']);
    const recorded = await personCall('POST', '/v1/consents', await asPerson(GUARDIAN, [code]), body);
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().consent.recordedBy).toMatchObject({ organisationId: 'resident-portal', channel: 'resident-e-service' });
  });

  it('shows one consent by id only to its recording organisation (and operators)', async () => {
    const { consent } = await grant(permissionBody(childCode()));
    expect((await call('GET', `/v1/consents/${consent.consentId}`, h.keys.recorder)).statusCode).toBe(200);
    expect((await call('GET', `/v1/consents/${consent.consentId}`, h.keys.operator)).statusCode).toBe(200);
    expect((await call('GET', `/v1/consents/${consent.consentId}`, h.keys.familyCentre)).json().code).toBe('CONSENT_LOOKUP_FORBIDDEN');
  });

  it("refuses a recipient's permission naming itself without evidence", async () => {
    const self = await call('POST', '/v1/consents', h.keys.ngo, permissionBody(childCode(), { recipients: [{ organisationId: 'mll-keski-suomi' }], evidenceRef: undefined }));
    expect([self.statusCode, self.json().code]).toEqual([403, 'SELF_PERMISSION_NEEDS_EVIDENCE']);
  });

  it('keeps decisions to the backbone and recording to professionals', async () => {
    expect((await call('POST', '/v1/decisions', h.keys.recorder, decisionBody(`sr_${'x'.repeat(43)}`))).statusCode).toBe(403);
    expect((await call('POST', '/v1/consents', h.keys.resident, permissionBody(childCode()))).json().code).toBe('PERSON_ASSERTION_REQUIRED');
    expect((await service.app.inject({ method: 'GET', url: `/v1/subjects/sr_${'x'.repeat(43)}/consents` })).statusCode).toBe(401);
  });
});
