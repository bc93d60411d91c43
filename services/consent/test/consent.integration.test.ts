import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polku/contracts';
import { parseIdentityCode } from '@polku/personal-data';
import { childCode, decisionBody, dropKeys, freshTopic, openHarness, permissionBody, recordTopic, startInstance, unique, eventually, type Harness, type Instance } from './helpers';

describe('the consent ledger over HTTP (real broker and Redis)', () => {
  let h: Harness;
  let service: Instance;
  let topic: string;
  let events: CloudEvent[];
  const projectionName = `consent-${randomUUID().slice(0, 8)}`;
  const queuePrefix = unique('q');

  beforeAll(async () => {
    h = await openHarness();
    topic = await freshTopic(h.bus);
    service = await startInstance(h, { topic, projectionName, queuePrefix });
    events = await recordTopic(h.bus, topic);
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
    expect(event).toMatchObject({ type: 'fi.polku.consent.granted.v1', source: '/polku/consent', consentid: consent.consentId, data: consent });
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
    const { rows } = await h.db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE event ->> 'type' = 'fi.polku.consent.granted.v1' AND event -> 'data' ->> 'subjectRef' = $1", [first.json().consent.subjectRef]);
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
    await eventually(() => (events.some((e) => e.type === 'fi.polku.consent.withdrawn.v1' && e.subject === consent.consentId) ? true : undefined), 'withdrawn event');
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

  it('lists a subject by reference and by identity code; the resident view hides the professional', async () => {
    const code = childCode();
    const first = (await grant(permissionBody(code))).consent;
    const second = (await grant(permissionBody(code, { recipients: [{ sector: 'ngo' }] }))).consent;
    const byRef = (await call('GET', `/v1/subjects/${first.subjectRef}/consents`, h.keys.recorder)).json();
    expect(byRef.consents.map((c: { consentId: string }) => c.consentId).sort()).toEqual([first.consentId, second.consentId].sort());

    const lookup = await call('POST', '/v1/subjects/consents/lookup', h.keys.resident, { identityCode: code });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json().subjectRef).toBe(first.subjectRef);
    expect(lookup.json().consents).toHaveLength(2);
    expect(lookup.json().consents[0].recordedBy).toEqual({ organisationId: 'jyvaskyla-education' });
  });

  it('keeps decisions to the backbone and recording to professionals', async () => {
    expect((await call('POST', '/v1/decisions', h.keys.recorder, decisionBody(`sr_${'x'.repeat(43)}`))).statusCode).toBe(403);
    expect((await call('POST', '/v1/consents', h.keys.resident, permissionBody(childCode()))).statusCode).toBe(403);
    expect((await service.app.inject({ method: 'GET', url: `/v1/subjects/sr_${'x'.repeat(43)}/consents` })).statusCode).toBe(401);
  });
});
