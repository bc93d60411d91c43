import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polku/contracts';
import { rebuild } from '@polku/projection';
import { childCode, decisionBody, dropKeys, freshTopic, openHarness, permissionBody, recordTopic, startInstance, unique, eventually, type Harness, type Instance } from './helpers';

describe('expiry and rebuild (real broker and Redis)', () => {
  let h: Harness;
  let topic: string;
  let events: CloudEvent[];
  let service: Instance | undefined;
  const projectionName = `consent-${randomUUID().slice(0, 8)}`;
  const queuePrefix = unique('q');
  const at = () => ({ topic, projectionName, queuePrefix });

  beforeAll(async () => {
    h = await openHarness();
    topic = await freshTopic(h.bus);
    events = await recordTopic(h.bus, topic);
  });
  afterAll(async () => {
    await service?.stop();
    await dropKeys(h.redis, queuePrefix);
    await h?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
    service!.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const grant = async (body: Record<string, unknown>, path = '/v1/consents') => {
    const response = await call('POST', path, h.keys.recorder, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json().consent as { consentId: string; subjectRef: string; validUntil: string };
  };
  const expiredEvents = (consentId: string) => events.filter((e) => e.type === 'fi.polku.consent.expired.v2' && e.subject === consentId);
  const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('expires a consent at the end of its validity', async () => {
    service = await startInstance(h, at());
    const consent = await grant(permissionBody(childCode(), { validUntil: soon(2000) }));
    const [expired] = await eventually(() => (expiredEvents(consent.consentId).length > 0 ? expiredEvents(consent.consentId) : undefined), 'expired event', 15_000);
    const lateMs = Date.parse(expired!.time) - Date.parse(consent.validUntil);
    console.log(`expiry published ${lateMs} ms after validUntil`);
    expect(expired?.data).toMatchObject({ consentId: consent.consentId, status: 'expired', changedAt: consent.validUntil });
    expect(lateMs).toBeGreaterThanOrEqual(0);
    const decision = (await call('POST', '/v1/decisions', h.keys.operator, decisionBody(consent.subjectRef))).json();
    expect(decision).toMatchObject({ allowed: false, reason: 'expired' });
  });

  it('expires it also when the service was stopped and started again before it was due', async () => {
    const consent = await grant(permissionBody(childCode(), { validUntil: soon(3000) }));
    await service!.stop();
    service = undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
    service = await startInstance(h, at());
    await eventually(() => (expiredEvents(consent.consentId).length > 0 ? true : undefined), 'expired event after restart', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(expiredEvents(consent.consentId)).toHaveLength(1);
    expect((await service.consent.store.get(consent.consentId))?.status).toBe('expired');
  });

  it('rebuilds the same state from the topic when its store is emptied, and its timers when Redis lost them', async () => {
    const code = childCode();
    const kept = await grant(permissionBody(code));
    const withdrawn = await grant(permissionBody(code, { recipients: [{ sector: 'ngo' }] }));
    await grant(permissionBody(code, { grantor: { role: 'self' }, minorDecidesPersonally: true, recipients: [{ sector: 'parish' }], validUntil: undefined }), '/v1/bans');
    const timed = await grant(permissionBody(code, { validUntil: soon(60 * 60 * 1000) }));
    expect((await call('POST', `/v1/consents/${withdrawn.consentId}/withdraw`, h.keys.recorder)).statusCode).toBe(200);
    // The store itself: a lookup over HTTP needs a routed referral and is logged, neither of which is this test's concern.
    const before = { consents: await service!.consent.store.listBySubject(kept.subjectRef) };
    const decisionBefore = (await call('POST', '/v1/decisions', h.keys.operator, decisionBody(kept.subjectRef))).json();
    expect(before.consents).toHaveLength(4);

    await service!.stop();
    service = undefined;
    // Both stores lost: the consent records (as a rebuild or a fresh database would leave them) and every BullMQ key.
    await h.db.transaction((tx) => rebuild(tx, projectionName));
    expect((await h.db.query('SELECT 1 FROM consent_records')).rowCount).toBe(0);
    expect(await dropKeys(h.redis, queuePrefix)).toBeGreaterThan(0);
    const started = performance.now();
    service = await startInstance(h, at());
    console.log(`rebuilt from ${events.length} events in ${(performance.now() - started).toFixed(0)} ms`);

    expect({ consents: await service.consent.store.listBySubject(kept.subjectRef) }).toEqual(before);
    expect((await call('POST', '/v1/decisions', h.keys.operator, decisionBody(kept.subjectRef))).json()).toEqual(decisionBefore);
    // The expiry timer of the still-active consent is set again from the replayed record.
    const job = await eventually(async () => (await h.queueConnection.exists(`${queuePrefix}:polku-consent-expiry:expire-${timed.consentId}`)) || undefined, 'the expiry job again', 5000);
    expect(job).toBe(1);
  });
});
