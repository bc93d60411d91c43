import { randomBytes, randomUUID } from 'node:crypto';
import { signatureHeaders } from '@polku/adapter-kit';
import { startReferralApiDouble, type ReferralApiDouble } from '@polku/adapter-kit/conformance';
import { decideDisclosure, type ConsentRecord } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { startStub, type RunningStub } from '@polku/adapter-education-school/stub';
import { createBus, DEAD_LETTER_HEADERS as H, type Bus } from '@polku/bus';
import { createEvent, derivedEventId, type CloudEvent, type DataCategory, type Party } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../src/config';
import { startAdapterHost, type RunningHost } from '../src/host';
import { collect, freshTopic, referralEvents, testEnv, unique, eventually } from './helpers';

const logger = createLogger({ service: 'adapter-host-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const secret = randomBytes(32);
const ngoSecret = randomBytes(32);
const SCHOOL = { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education', sector: 'education' } as const;
const NGO = { organisationId: 'mll-keski-suomi', serviceId: 'mll-family-support', sector: 'ngo' } as const;
const KEYS = { 'school-key': SCHOOL.organisationId, 'ngo-key': NGO.organisationId };

/**
 * The consent ledger of these tests: records we grant and withdraw, decided by the real
 * policy (decideDisclosure). The host's decider and the referral-API double both read it.
 */
const ledger: ConsentRecord[] = [];
const asRecipient = (party: Party) => ({ organisationId: party.organisationId, ...(party.serviceId ? { serviceId: party.serviceId } : {}), sector: party.sector ?? 'ngo' });
const testDecider: ConsentDecider = {
  decide: async (question) => decideDisclosure(ledger, { ...question, recipient: asRecipient(question.recipient), at: new Date() }),
};
const subjects = new Map<string, string>();
const grant = (subjectRef: string, party: Party, dataCategories: ConsentRecord['dataCategories'] = ['need-description', 'contact']): ConsentRecord => {
  const record: ConsentRecord = {
    consentId: randomUUID(), subjectRef, kind: 'permission', grantor: { role: 'guardian' }, minorDecidesPersonally: false,
    disclosers: [{ organisationId: 'jyvaskyla-education' }], recipients: [{ organisationId: party.organisationId }],
    dataCategories, purposes: ['service-provision'], legalFramework: '703/2023',
    validFrom: new Date(Date.now() - 60_000).toISOString(), validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    form: 'written', recordedBy: { organisationId: 'jyvaskyla-education', professionalRef: 'u-1' }, status: 'active', changedAt: new Date().toISOString(),
  };
  ledger.push(record);
  return record;
};

describe('adapter-host with the stand-in school system', () => {
  let stub: RunningStub;
  /** The NGO's webhook receiver (ngo.webhook): the same stand-in, its own secret. */
  let ngoStub: RunningStub;
  let bus: Bus;
  let host: RunningHost;
  let topics: { referral: string; delivery: string };
  let seen: Awaited<ReturnType<typeof collect>>;
  let referralApi: ReferralApiDouble;

  beforeAll(async () => {
    const env = testEnv();
    stub = await startStub({ secret });
    ngoStub = await startStub({ secret: ngoSecret });
    referralApi = await startReferralApiDouble({
      keys: KEYS,
      decide: async (referralId, organisationId) => {
        const party = organisationId === NGO.organisationId ? NGO : SCHOOL;
        const all: DataCategory[] = ['identity', 'contact', 'guardians', 'need-description', 'education', 'health', 'social-care'];
        const decision = await testDecider.decide({ subjectRef: subjects.get(referralId) ?? '', recipient: party, dataCategories: all, purpose: 'service-provision', legalBasis: 'consent' });
        return decision.allowed ? { allowed: true, dataCategories: decision.dataCategories } : { allowed: false, reason: decision.reason };
      },
    });
    const publisher = createBus({ brokers: env.brokers, clientId: 'adapter-host-test', logger, redisUrl: env.redisUrl });
    topics = { referral: await freshTopic(publisher, 'referral'), delivery: await freshTopic(publisher, 'delivery') };
    bus = publisher;
    const { config, adapters } = loadHostConfig({
      KAFKA_BROKERS: env.brokers.join(','), REDIS_URL: env.redisUrl, LOG_LEVEL: 'silent',
      POLKU_EDUCATION_SCHOOL_URL: stub.url, POLKU_EDUCATION_SCHOOL_SECRET: secret.toString('base64'),
      POLKU_EDUCATION_SCHOOL_ORGANISATIONS: SCHOOL.organisationId, POLKU_EDUCATION_SCHOOL_KEYS: `${SCHOOL.organisationId}=school-key`,
      POLKU_NGO_WEBHOOK_URL: ngoStub.url, POLKU_NGO_WEBHOOK_SECRET: ngoSecret.toString('base64'),
      POLKU_NGO_WEBHOOK_ORGANISATIONS: NGO.organisationId, POLKU_NGO_WEBHOOK_KEYS: `${NGO.organisationId}=ngo-key`,
      POLKU_REFERRAL_API_URL: referralApi.url, POLKU_CONSENT_KEY: 'unused-the-test-decider-answers',
      POLKU_DELIVERY_ATTEMPTS: '6', POLKU_DELIVERY_BACKOFF_MS: '50', POLKU_QUEUE_PREFIX: `test-${randomUUID()}`,
    });
    const hostBus = createBus({ brokers: env.brokers, clientId: 'adapter-host', logger, redisUrl: env.redisUrl });
    host = await startAdapterHost({ config, adapters, logger, bus: hostBus, decider: testDecider, redis: new Redis(env.redisUrl), groupId: unique('adapter-host'), topics });
    seen = await collect([topics.referral, topics.delivery, `${topics.referral}.dlq`], logger);
  });

  afterAll(async () => {
    for (const closeable of host?.closeables ?? []) await closeable.close();
    await seen?.stop();
    await bus?.close();
    await stub?.close();
    await ngoStub?.close();
    await referralApi?.close();
  });

  /** A fresh referral whose subject consented to the school (not the NGO), its details held by the referral API. */
  const publishReferral = async (options: { consentToSchool?: boolean } = {}) => {
    const events = referralEvents();
    subjects.set(events.referralId, events.subjectRef);
    referralApi.hold(events.referralId, { identity: { firstName: 'Testi' }, contact: { phone: '+358 40 000 0000' }, 'need-description': 'synthetic', health: 'synthetic' });
    if (options.consentToSchool ?? true) grant(events.subjectRef, SCHOOL);
    await bus.publishMany(topics.referral, [events.submitted, events.routed]);
    return events;
  };
  const eventFor = (type: string, referralId: string) => () => seen.events(type).find((e) => e.subject === referralId);
  const eventsFor = (type: string, referralId: string) => seen.events(type).filter((e) => e.subject === referralId);
  const stubDelivery = (referralId: string, serviceId: string = SCHOOL.serviceId) =>
    [...(serviceId === NGO.serviceId ? ngoStub : stub).ledger.deliveries.values()].find((d) => d.referralId === referralId && d.service.serviceId === serviceId);
  const jobCount = () => host.queue.getJobCountByTypes('completed', 'failed', 'waiting', 'delayed', 'active');
  const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

  it('retries 503 three times, then delivers once with four attempts under one idempotency key', async () => {
    await stub.script([{ status: 503 }, { status: 503 }, { status: 503 }]);
    const { referralId, routed } = await publishReferral();
    const succeeded = await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
    const deliveryId = derivedEventId(referralId, 'deliver/jkl-basic-education');
    expect(succeeded.data).toMatchObject({ deliveryId, attempts: 4, adapterId: 'education.school', recipient: { serviceId: 'jkl-basic-education' } });
    expect(stubDelivery(referralId)).toMatchObject({ idempotencyKey: deliveryId, attempts: 4, answers: [503, 503, 503, 200] });
    const delivered = await eventually(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
    expect(delivered).toMatchObject({ id: derivedEventId(deliveryId, 'delivered'), causationid: routed.id, correlationid: routed.correlationid });
    // The NGO co-worker has no consent: nothing is queued for it.
    expect(await jobCount()).toBe(1);
    expect(await host.queue.getJob(derivedEventId(referralId, 'deliver/mll-family-support'))).toBeUndefined();
  });

  it('gives up at once on 422: delivery.failed and a dead letter carrying the answer, one POST', async () => {
    await stub.script([{ status: 422, body: '{"error":"unknown-school-service"}' }]);
    const { referralId, routed } = await publishReferral();
    const failed = await eventually(eventFor('fi.polku.delivery.failed.v1', referralId), 'delivery.failed');
    expect(failed.data).toMatchObject({ attempts: 1, lastError: { code: 'DELIVERY_REJECTED', httpStatus: 422, retryable: false } });
    const letter = await eventually(() => seen.records.find((r) => r.topic.endsWith('.dlq') && r.key?.toString() === referralId), 'dead letter');
    expect((JSON.parse(String(letter.value)) as CloudEvent).id).toBe(routed.id);
    expect(letter.headers).toMatchObject({ [H.errorCode]: 'DELIVERY_REJECTED', [H.attempts]: '1', [H.originalTopic]: topics.referral, [H.originalPartition]: '0' });
    expect(letter.headers[H.errorMessage]).toContain('HTTP 422: {"error":"unknown-school-service"}');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stubDelivery(referralId)?.attempts).toBe(1);
  });

  it('adds no second job for a redelivered routed event', async () => {
    const { referralId, routed } = await publishReferral();
    await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
    const before = await host.queue.getJobCountByTypes('completed', 'failed', 'waiting', 'delayed', 'active');
    await bus.publish(topics.referral, routed);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await host.queue.getJobCountByTypes('completed', 'failed', 'waiting', 'delayed', 'active')).toBe(before);
    expect(stubDelivery(referralId)?.attempts).toBe(1);
  });

  describe('consent', () => {
    it('queues nothing for a recipient consent does not cover, and delivers once when a later routed event comes after consent', async () => {
      const events = await publishReferral();
      const { referralId } = events;
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'the school delivery');
      const ngoDeliveryId = derivedEventId(referralId, 'deliver/mll-family-support');
      await bus.publish(topics.referral, createEvent('fi.polku.referral.awaiting-consent.v1', {
        source: '/polku/router', subject: referralId, correlationid: events.routed.correlationid, causationid: events.routed.id,
        data: { referralId, recipient: NGO, dataCategories: ['need-description'], purpose: 'service-provision', requestedAt: new Date().toISOString() },
      }));
      await settle(1000);
      expect(await host.queue.getJob(ngoDeliveryId)).toBeUndefined();
      expect(stubDelivery(referralId, NGO.serviceId)).toBeUndefined();

      // Consent is recorded; the router routes again (the same plan, ruleId consent-granted).
      grant(events.subjectRef, NGO, ['need-description', 'contact']);
      await bus.publish(topics.referral, events.routedAgain());
      const delivered = await eventually(() => eventsFor('fi.polku.delivery.succeeded.v1', referralId).find((e) => (e.data as { deliveryId: string }).deliveryId === ngoDeliveryId), 'the NGO delivery');
      expect(delivered.data).toMatchObject({ recipient: { serviceId: NGO.serviceId }, attempts: 1, adapterId: 'ngo.webhook' });
      // The school, already delivered, is not delivered again; each recipient exactly once.
      await settle(1000);
      expect(stubDelivery(referralId)?.attempts).toBe(1);
      expect(stubDelivery(referralId, NGO.serviceId)).toMatchObject({ attempts: 1, dataCategories: ['contact', 'need-description'], detailsReceived: ['contact', 'need-description'] });
      // Only what consent released travelled: not the identity or health details the referral holds.
      expect(Object.keys(ngoStub.ledger.detailsOf(ngoDeliveryId) ?? {}).sort()).toEqual(['contact', 'description']);
      expect(referralApi.requests.filter((r) => r.referralId === referralId).map((r) => [r.organisationId, r.user, r.status])).toEqual([
        [SCHOOL.organisationId, 'education.school', 200], [NGO.organisationId, 'ngo.webhook', 200],
      ]);
      expect(eventsFor('fi.polku.referral.delivered.v1', referralId)).toHaveLength(2);
    });

    it('delivers once for two routed events of a covered recipient', async () => {
      const events = await publishReferral();
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', events.referralId), 'delivery.succeeded');
      const before = await jobCount();
      await bus.publish(topics.referral, events.routedAgain('attendance-13-17'));
      await settle();
      expect(await jobCount()).toBe(before);
      expect(stubDelivery(events.referralId)?.attempts).toBe(1);
      expect(eventsFor('fi.polku.delivery.succeeded.v1', events.referralId)).toHaveLength(1);
    });

    it('stops a delivery waiting in backoff when consent is withdrawn: no POST, delivery.failed CONSENT_MISSING', async () => {
      await stub.script([{ status: 503, retryAfter: '2' }]);
      const events = await publishReferral();
      const { referralId } = events;
      await eventually(() => stubDelivery(referralId)?.attempts === 1 || undefined, 'the first attempt');
      const record = ledger.find((r) => r.subjectRef === events.subjectRef);
      if (record) record.status = 'withdrawn';
      const failed = await eventually(eventFor('fi.polku.delivery.failed.v1', referralId), 'delivery.failed', 10_000);
      expect(failed.data).toMatchObject({ attempts: 2, lastError: { code: 'CONSENT_MISSING', retryable: false } });
      await settle(500);
      expect(stubDelivery(referralId)).toMatchObject({ attempts: 1, answers: [503] });
      expect(eventFor('fi.polku.referral.delivered.v1', referralId)()).toBeUndefined();
      const job = await host.queue.getJob(derivedEventId(referralId, 'deliver/jkl-basic-education'));
      expect(await job?.getState()).toBe('failed');
      // Not a fault to replay: nothing is dead-lettered.
      expect(seen.records.find((r) => r.topic.endsWith('.dlq') && r.key?.toString() === referralId)).toBeUndefined();

      // Consent given again and routed again: the stopped delivery is made, under the same idempotency key.
      grant(events.subjectRef, SCHOOL);
      await bus.publish(topics.referral, events.routedAgain());
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded after a new consent');
      expect(stubDelivery(referralId)).toMatchObject({ attempts: 2, answers: [503, 200] });
    });

    it('delivers a lead that waited for consent once the router routes again', async () => {
      const events = await publishReferral({ consentToSchool: false });
      const { referralId } = events;
      await settle(1000);
      expect(stubDelivery(referralId)).toBeUndefined();
      grant(events.subjectRef, SCHOOL);
      await bus.publish(topics.referral, events.routedAgain());
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
      expect(stubDelivery(referralId)?.attempts).toBe(1);
    });
  });

  describe('callbacks', () => {
    const post = (body: string, headers: Record<string, string>, adapterId = 'education.school') =>
      host.app.inject({ method: 'POST', url: `/v1/adapters/${adapterId}/callbacks`, payload: body, headers: { 'content-type': 'application/json', ...headers } });

    it('turns a signed accept, then close, into the matching events, by the service delivered to', async () => {
      const { referralId } = await publishReferral();
      await eventually(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
      for (const [action, extra, type] of [['accept', {}, 'fi.polku.referral.accepted.v1'], ['close', { reasonCode: 'helped' }, 'fi.polku.referral.closed.v1']] as const) {
        const body = JSON.stringify({ callbackId: randomUUID(), referralId, action, occurredAt: new Date().toISOString(), ...extra });
        const response = await post(body, signatureHeaders(secret, body));
        expect(response.statusCode).toBe(202);
        const event = await eventually(eventFor(type, referralId), type);
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
