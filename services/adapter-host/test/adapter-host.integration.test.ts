import { randomBytes, randomUUID } from 'node:crypto';
import { signatureHeaders } from '@polku/adapter-kit';
import { startStub, type RunningStub } from '@polku/adapter-education-school/stub';
import { createBus, DEAD_LETTER_HEADERS as H, type Bus } from '@polku/bus';
import { derivedEventId, type CloudEvent } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../src/config';
import { startAdapterHost, type RunningHost } from '../src/host';
import { collect, freshTopic, referralEvents, testEnv, unique, waitFor } from './helpers';

const logger = createLogger({ service: 'adapter-host-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const secret = randomBytes(32);

describe('adapter-host with the stand-in school system', () => {
  let stub: RunningStub;
  let bus: Bus;
  let host: RunningHost;
  let topics: { referral: string; delivery: string };
  let seen: Awaited<ReturnType<typeof collect>>;

  beforeAll(async () => {
    const env = testEnv();
    stub = await startStub({ secret });
    const publisher = createBus({ brokers: env.brokers, clientId: 'adapter-host-test', logger, redisUrl: env.redisUrl });
    topics = { referral: await freshTopic(publisher, 'referral'), delivery: await freshTopic(publisher, 'delivery') };
    bus = publisher;
    const { config, adapters } = loadHostConfig({
      KAFKA_BROKERS: env.brokers.join(','), REDIS_URL: env.redisUrl, LOG_LEVEL: 'silent',
      POLKU_EDUCATION_SCHOOL_URL: stub.url, POLKU_EDUCATION_SCHOOL_SECRET: secret.toString('base64'),
      POLKU_DELIVERY_ATTEMPTS: '6', POLKU_DELIVERY_BACKOFF_MS: '50', POLKU_QUEUE_PREFIX: `test-${randomUUID()}`,
    });
    const hostBus = createBus({ brokers: env.brokers, clientId: 'adapter-host', logger, redisUrl: env.redisUrl });
    host = await startAdapterHost({ config, adapters, logger, bus: hostBus, redis: new Redis(env.redisUrl), groupId: unique('adapter-host'), topics });
    seen = await collect([topics.referral, topics.delivery, `${topics.referral}.dlq`], logger);
  });

  afterAll(async () => {
    for (const closeable of host?.closeables ?? []) await closeable.close();
    await seen?.stop();
    await bus?.close();
    await stub?.close();
  });

  const publishReferral = async () => {
    const events = referralEvents();
    await bus.publishMany(topics.referral, [events.submitted, events.routed]);
    return events;
  };
  const eventFor = (type: string, referralId: string) => () => seen.events(type).find((e) => e.subject === referralId);
  const stubDelivery = (referralId: string) => [...stub.ledger.deliveries.values()].find((d) => d.referralId === referralId);

  it('retries 503 three times, then delivers once with four attempts under one idempotency key', async () => {
    await stub.script([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const { referralId, routed } = await publishReferral();
    const succeeded = await waitFor(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
    const deliveryId = derivedEventId(routed.id, 'deliver/jkl-basic-education');
    expect(succeeded.data).toMatchObject({ deliveryId, attempts: 4, adapterId: 'education.school', recipient: { serviceId: 'jkl-basic-education' } });
    expect(stubDelivery(referralId)).toMatchObject({ idempotencyKey: deliveryId, attempts: 4, answers: [503, 503, 503, 200] });
    const delivered = await waitFor(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
    expect(delivered).toMatchObject({ id: derivedEventId(deliveryId, 'delivered'), causationid: routed.id, correlationid: routed.correlationid });
    // The NGO co-worker has no adapter yet: nothing is queued for it.
    expect(await host.queue.getJobCountByTypes('completed', 'failed', 'waiting', 'delayed', 'active')).toBe(1);
  });

  it('gives up at once on 422: delivery.failed and a dead letter carrying the answer, one POST', async () => {
    await stub.script([{ status: 422, body: '{"error":"unknown-school-service"}' }]);
    const { referralId, routed } = await publishReferral();
    const failed = await waitFor(eventFor('fi.polku.delivery.failed.v1', referralId), 'delivery.failed');
    expect(failed.data).toMatchObject({ attempts: 1, lastError: { code: 'DELIVERY_REJECTED', httpStatus: 422, retryable: false } });
    const letter = await waitFor(() => seen.records.find((r) => r.topic.endsWith('.dlq') && r.key?.toString() === referralId), 'dead letter');
    expect((JSON.parse(String(letter.value)) as CloudEvent).id).toBe(routed.id);
    expect(letter.headers).toMatchObject({ [H.errorCode]: 'DELIVERY_REJECTED', [H.attempts]: '1', [H.originalTopic]: topics.referral, [H.originalPartition]: '0' });
    expect(letter.headers[H.errorMessage]).toContain('HTTP 422: {"error":"unknown-school-service"}');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stubDelivery(referralId)?.attempts).toBe(1);
  });

  it('adds no second job for a redelivered routed event', async () => {
    const { referralId, routed } = await publishReferral();
    await waitFor(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
    const before = await host.queue.getJobCountByTypes('completed', 'failed', 'waiting', 'delayed', 'active');
    await bus.publish(topics.referral, routed);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await host.queue.getJobCountByTypes('completed', 'failed', 'waiting', 'delayed', 'active')).toBe(before);
    expect(stubDelivery(referralId)?.attempts).toBe(1);
  });

  describe('callbacks', () => {
    const post = (body: string, headers: Record<string, string>, adapterId = 'education.school') =>
      host.app.inject({ method: 'POST', url: `/v1/adapters/${adapterId}/callbacks`, payload: body, headers: { 'content-type': 'application/json', ...headers } });

    it('turns a signed accept, then close, into the matching events, by the service delivered to', async () => {
      const { referralId } = await publishReferral();
      await waitFor(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
      for (const [action, extra, type] of [['accept', {}, 'fi.polku.referral.accepted.v1'], ['close', { reasonCode: 'helped' }, 'fi.polku.referral.closed.v1']] as const) {
        const body = JSON.stringify({ callbackId: randomUUID(), referralId, action, occurredAt: new Date().toISOString(), ...extra });
        const response = await post(body, signatureHeaders(secret, body));
        expect(response.statusCode).toBe(202);
        const event = await waitFor(eventFor(type, referralId), type);
        expect(event.source).toBe('/org/jyvaskyla-education/education.school');
      }
      expect(seen.events('fi.polku.referral.accepted.v1').find((e) => e.subject === referralId)?.data).toMatchObject({ by: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' } });
      expect(seen.events('fi.polku.referral.closed.v1').find((e) => e.subject === referralId)?.data).toMatchObject({ reason: 'helped', closedBy: { serviceId: 'jkl-basic-education' } });
    });

    it('answers 401 to a stale signature and to none, before looking at the body', async () => {
      const body = JSON.stringify({ callbackId: 'cb-1', referralId: randomUUID(), action: 'accept', occurredAt: new Date().toISOString() });
      const stale = await post(body, signatureHeaders(secret, body, new Date(Date.now() - 600_000)));
      expect(stale.statusCode).toBe(401);
      expect(stale.json()).toMatchObject({ code: 'CALLBACK_SIGNATURE_INVALID', type: 'urn:polku:problem:callback-signature-invalid' });
      expect((await post('{"not":"valid"}', {})).statusCode).toBe(401);
    });

    it('answers 400 to a signed but invalid body and 404 to an unknown adapter', async () => {
      const body = JSON.stringify({ callbackId: 'cb-2', referralId: randomUUID(), action: 'decline', occurredAt: new Date().toISOString() });
      const invalid = await post(body, signatureHeaders(secret, body));
      expect(invalid.statusCode).toBe(400);
      expect((await post(body, signatureHeaders(secret, body), 'social.unknown')).statusCode).toBe(404);
    });
  });
});
