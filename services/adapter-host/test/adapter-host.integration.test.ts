import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { signatureHeaders, type SectorAdapter } from '@polku/adapter-kit';
import { startReferralApiDouble, type ReferralApiDouble } from '@polku/adapter-kit/conformance';
import { decideDisclosure, type ConsentRecord } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { startStub, type RunningStub } from '@polku/adapter-education-school/stub';
import { createBus, createKafkajsTransport, DEAD_LETTER_HEADERS as H, REPLAY_HEADERS, retryTopicFor, type Bus, type HandlerContext, type TransportProducer } from '@polku/bus';
import { deadLetterId, MAX_REPLAYS, registerDeadLetter, replayOne } from '@polku/dead-letters';
import { createOperatorAudit } from '@polku/operator-audit';
import { createEvent, derivedEventId, type CloudEvent, type DataCategory, type Party } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freePort } from '@polku/infra';
import { startRelay, type Relay } from '@polku/outbox';
import { rebuild } from '@polku/projection';
import { createLogger, newSigningKey } from '@polku/service-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig, type HostConfig } from '../src/config';
import { buildApp } from '../src/app';
import { startAdapterHost, type RunningHost } from '../src/host';
import { enqueueDelivery } from '../src/deliveries/delivery-queue';
import { referralProjection } from '../src/referral-projection';
import { referralStore } from '../src/store/referral-store';
import { collect, deleteKeys, freshTopic, ownDatabase, referralEvents, testEnv, unique, eventually } from './helpers';
import { parseTraceparent, withTrace } from '@polku/telemetry';

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
    form: 'written', recordedBy: { organisationId: 'jyvaskyla-education', systemId: 'wilma', professionalRef: 'u-1' }, status: 'active', changedAt: new Date().toISOString(),
  };
  ledger.push(record);
  return record;
};

describe('adapter-host with the stand-in school system', () => {
  let stub: RunningStub;
  /** The NGO's webhook receiver (ngo.webhook): the same stand-in, its own secret. */
  let ngoStub: RunningStub;
  let bus: Bus;
  let hostBus: Bus;
  let hostRedis: Redis;
  let host: RunningHost;
  let config: HostConfig;
  let adapters: readonly SectorAdapter[];
  let topics: { referral: string; delivery: string; disclosure: string };
  let seen: Awaited<ReturnType<typeof collect>>;
  let referralApi: ReferralApiDouble;
  /** This file's own database, and the outbox relay that publishes what the host writes to it. */
  let db: Database;
  let dropDatabase: () => Promise<void>;
  let relay: Relay;
  const projectionName = unique('adapter-host');

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
    const publisher = createBus({ brokers: env.brokers, clientId: 'adapter-host-test', logger });
    topics = { referral: await freshTopic(publisher, 'referral'), delivery: await freshTopic(publisher, 'delivery'), disclosure: await freshTopic(publisher, 'disclosure') };
    bus = publisher;
    ({ db, drop: dropDatabase } = await ownDatabase(logger));
    relay = startRelay({ db, bus, logger, pollMs: 100 });
    const loaded = loadHostConfig({
      KAFKA_BROKERS: env.brokers.join(','), REDIS_URL: env.redisUrl, LOG_LEVEL: 'silent',
      POLKU_EDUCATION_SCHOOL_URL: stub.url, POLKU_EDUCATION_SCHOOL_SECRET: secret.toString('base64'),
      POLKU_EDUCATION_SCHOOL_ORGANISATIONS: SCHOOL.organisationId, POLKU_EDUCATION_SCHOOL_KEYS: `${SCHOOL.organisationId}=school-key`,
      POLKU_NGO_WEBHOOK_URL: ngoStub.url, POLKU_NGO_WEBHOOK_SECRET: ngoSecret.toString('base64'),
      POLKU_NGO_WEBHOOK_ORGANISATIONS: NGO.organisationId, POLKU_NGO_WEBHOOK_KEYS: `${NGO.organisationId}=ngo-key`,
      POLKU_REFERRAL_API_URL: referralApi.url, POLKU_CONSENT_KEY: 'unused-the-test-decider-answers',
      POLKU_DISCLOSURE_SIGNING_KEY: newSigningKey('adapter-host-test').signingKey,
      POLKU_DELIVERY_ATTEMPTS: '6', POLKU_DELIVERY_BACKOFF_MS: '50', POLKU_QUEUE_PREFIX: `test-${randomUUID()}`,
    });
    config = loaded.config;
    adapters = loaded.adapters;
    // The host's own retry topic (infra/topics.json declares the real one): a replayed delivery dead letter comes on it.
    await publisher.ensureTopics([{ name: retryTopicFor(projectionName), partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id' }]);
    hostBus = createBus({ brokers: env.brokers, clientId: 'adapter-host', logger });
    hostRedis = new Redis(env.redisUrl);
    host = await startAdapterHost({ config, adapters, logger, bus: hostBus, db, decider: testDecider, redis: hostRedis, projectionName, projectionWatchMs: 200, topics });
    seen = await collect([topics.referral, topics.delivery, `${topics.referral}.dlq`, topics.disclosure], logger);
  });

  afterAll(async () => {
    for (const closeable of host?.closeables ?? []) await closeable.close();
    await relay?.stop();
    await hostBus?.close();
    if (hostRedis) {
      await deleteKeys(hostRedis, config.POLKU_QUEUE_PREFIX);
      await hostRedis.quit();
    }
    await seen?.stop();
    await bus?.close();
    await dropDatabase?.();
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
  /** The attempt log of a referral's deliveries, in the order they ran. */
  const attemptRows = async (referralId: string) =>
    (await db.query(`SELECT attempt, outcome, error_code, http_status FROM adapter_host_delivery_attempts WHERE referral_id = $1 ORDER BY started_at, id`, [referralId])).rows;

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
    // One disclosure-log entry for the delivery, whatever the number of attempts, listing exactly what it carried.
    const ofDelivery = () => seen.events('fi.polku.disclosure.disclosed.v2').filter((e) => (e.data as { deliveryId?: string }).deliveryId === deliveryId);
    await eventually(() => ofDelivery()[0], 'the delivery\'s disclosure');
    await settle();
    const entries = ofDelivery();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.data).toMatchObject({
      referralId, deliveryId, recipient: { organisationId: SCHOOL.organisationId, systemId: 'education-school' }, dataCategories: ['need-description'],
      fields: ['ageBand', 'language', 'legalBasis', 'municipalityCode', 'needCodes', 'submittedAt', 'urgency'], basis: { kind: 'consent' },
    });
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
    expect(await attemptRows(referralId)).toEqual([{ attempt: 1, outcome: 'failed', error_code: 'DELIVERY_REJECTED', http_status: 422 }]);
  });

  describe('the attempt log', () => {
    it('writes every attempt with the system\'s status: 503, 503, then 202', async () => {
      await stub.script([{ status: 503 }, { status: 503 }, { status: 202 }]);
      const { referralId } = await publishReferral();
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
      expect(stubDelivery(referralId)).toMatchObject({ answers: [503, 503, 202] });
      expect(await attemptRows(referralId)).toEqual([
        { attempt: 1, outcome: 'failed-retrying', error_code: 'DELIVERY_RETRYABLE', http_status: 503 },
        { attempt: 2, outcome: 'failed-retrying', error_code: 'DELIVERY_RETRYABLE', http_status: 503 },
        { attempt: 3, outcome: 'delivered', error_code: null, http_status: 202 },
      ]);
      const { rows } = await db.query<{ delivery_id: string; adapter_id: string; ordered: boolean }>(
        `SELECT delivery_id, adapter_id, bool_and(started_at <= ended_at) AS ordered FROM adapter_host_delivery_attempts WHERE referral_id = $1 GROUP BY 1, 2`, [referralId]);
      expect(rows).toEqual([{ delivery_id: derivedEventId(referralId, 'deliver/jkl-basic-education'), adapter_id: 'education.school', ordered: true }]);
    });

    it('delivers once, as before, when the attempt log cannot be written', async () => {
      await db.query('ALTER TABLE adapter_host_delivery_attempts RENAME TO adapter_host_delivery_attempts_away');
      try {
        await stub.script([{ status: 503 }]);
        const { referralId } = await publishReferral();
        const succeeded = await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
        expect(succeeded.data).toMatchObject({ attempts: 2 });
        await settle();
        expect(stubDelivery(referralId)).toMatchObject({ attempts: 2, answers: [503, 200] });
        expect(eventsFor('fi.polku.delivery.succeeded.v1', referralId)).toHaveLength(1);
        expect(eventsFor('fi.polku.delivery.failed.v1', referralId)).toHaveLength(0);
        // The log really was away: neither attempt is in it.
        expect((await db.query(`SELECT count(*)::int AS n FROM adapter_host_delivery_attempts_away WHERE referral_id = $1`, [referralId])).rows[0]).toEqual({ n: 0 });
      } finally {
        await db.query('ALTER TABLE adapter_host_delivery_attempts_away RENAME TO adapter_host_delivery_attempts');
      }
    });
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

  describe('replay of a delivery\'s dead letter', () => {
    let producer: TransportProducer;
    beforeAll(async () => {
      producer = createKafkajsTransport({ brokers: testEnv().brokers, clientId: 'console-test', logger }).producer();
      await producer.connect();
    });
    afterAll(() => producer?.disconnect());

    it('closes a replayed delivery whose consent was withdrawn meanwhile: stopped with the consent code, nothing sent', async () => {
      await stub.script([{ status: 422, body: '{"error":"unknown-school-service"}' }]);
      const events = await publishReferral();
      const { referralId } = events;
      const letter = await eventually(() => seen.records.find((r) => r.topic.endsWith('.dlq') && r.key?.toString() === referralId), 'dead letter');
      const deliveryId = derivedEventId(referralId, 'deliver/jkl-basic-education');
      expect(letter.headers[REPLAY_HEADERS.deliveryId]).toBe(deliveryId);

      // The school fixed its catalogue, but meanwhile the guardian withdrew consent.
      const record = ledger.find((r) => r.subjectRef === events.subjectRef);
      if (record) record.status = 'withdrawn';
      // Replayed as the console does it: the register's row, then replay one (audited on a topic of this test's own).
      await db.transaction((tx) => registerDeadLetter(tx, letter, MAX_REPLAYS));
      const audit = createOperatorAudit({ bus, logger, service: 'console', topic: await freshTopic(bus, 'audit') });
      const caller = { keyId: 'testoperator', organisationId: 'polku-operations', systemId: 'console', roles: ['operator' as const], services: [] };
      await replayOne({ db, audit, replayer: { producer, admin: await bus.admin(), maxReplays: MAX_REPLAYS } }, deadLetterId(letter.topic, letter.partition, letter.offset), caller, { code: 'cause-fixed' });

      const stopped = await eventually(() => eventsFor('fi.polku.delivery.failed.v1', referralId).find((e) => (e.data as { lastError: { code: string } }).lastError.code === 'CONSENT_MISSING'), 'delivery.failed CONSENT_MISSING after the replay');
      expect(stopped.data).toMatchObject({ deliveryId, lastError: { retryable: false } });
      expect(stubDelivery(referralId)).toMatchObject({ attempts: 1, answers: [422] });
      expect(eventFor('fi.polku.referral.delivered.v1', referralId)()).toBeUndefined();
      expect((await referralStore(db).recipient(referralId, SCHOOL.serviceId))?.state).toBe('stopped');
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

    it('keeps the referral\'s trace from the routed event to the webhook and its events; a callback continues its own trace, else the delivery\'s', async () => {
      const traceId = 'ab'.repeat(16);
      const callerTrace = 'cd'.repeat(16);
      // Events made inside carry the trace, as the router's would.
      const { referralId } = await withTrace(`00-${traceId}-${'01'.repeat(8)}-01`, () => publishReferral());
      const delivered = await eventually(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
      expect(parseTraceparent(delivered.traceparent)?.traceId).toBe(traceId);
      expect(parseTraceparent(stubDelivery(referralId)?.traceparents[0])?.traceId).toBe(traceId);
      const accept = JSON.stringify({ callbackId: randomUUID(), referralId, action: 'accept', occurredAt: new Date().toISOString() });
      expect((await post(accept, signatureHeaders(secret, accept))).statusCode).toBe(202);
      const close = JSON.stringify({ callbackId: randomUUID(), referralId, action: 'close', reasonCode: 'helped', occurredAt: new Date().toISOString() });
      expect((await post(close, { ...signatureHeaders(secret, close), traceparent: `00-${callerTrace}-${'02'.repeat(8)}-01` })).statusCode).toBe(202);
      const accepted = await eventually(eventFor('fi.polku.referral.accepted.v1', referralId), 'accepted');
      const closed = await eventually(eventFor('fi.polku.referral.closed.v1', referralId), 'closed');
      expect(parseTraceparent(accepted.traceparent)?.traceId).toBe(traceId);
      expect(parseTraceparent(closed.traceparent)?.traceId).toBe(callerTrace);
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

    it('answers 404 CALLBACK_UNKNOWN_DELIVERY for a referral never delivered through that adapter', async () => {
      const body = JSON.stringify({ callbackId: randomUUID(), referralId: randomUUID(), action: 'accept', occurredAt: new Date().toISOString() });
      const unknown = await post(body, signatureHeaders(secret, body));
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'CALLBACK_UNKNOWN_DELIVERY' });
    });

    it('accepts a callback (202) while the producer cannot reach Kafka, and publishes it once it can', async () => {
      const { referralId } = await publishReferral();
      await eventually(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
      // The relay's producer now points at a port where no broker listens.
      await relay.stop();
      const nowhere = createBus({ brokers: [`127.0.0.1:${await freePort()}`], clientId: 'adapter-host-test-nowhere', logger });
      const stranded = startRelay({ db, bus: nowhere, logger, pollMs: 100 });
      try {
        const body = JSON.stringify({ callbackId: randomUUID(), referralId, action: 'accept', occurredAt: new Date().toISOString() });
        const started = Date.now();
        const response = await post(body, signatureHeaders(secret, body));
        expect(response.statusCode).toBe(202);
        expect(Date.now() - started).toBeLessThan(2000);
        await settle(1000);
        expect(eventFor('fi.polku.referral.accepted.v1', referralId)()).toBeUndefined();
        expect(await stranded.backlog()).toBeGreaterThanOrEqual(1);
      } finally {
        await stranded.stop();
        await nowhere.close();
        relay = startRelay({ db, bus, logger, pollMs: 100 });
      }
      const accepted = await eventually(eventFor('fi.polku.referral.accepted.v1', referralId), 'referral.accepted after Kafka came back');
      expect(accepted.data).toMatchObject({ by: { serviceId: SCHOOL.serviceId } });
    });

    it('answers 503 DATABASE_UNAVAILABLE with Retry-After while PostgreSQL does not answer, and says so in readiness', async () => {
      // A database that accepts connections and never answers (a refused connection is the easy case).
      const frozen = createServer(() => {});
      await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
      const away = createDatabase({ url: `postgres://postgres@127.0.0.1:${(frozen.address() as { port: number }).port}/polku`, applicationName: 'test', logger, timeoutMs: 500 });
      const app = await buildApp({ logger, adapters, db: away, referralTopic: topics.referral, readiness: { postgres: async () => void (await away.query('SELECT 1')) } });
      try {
        const body = JSON.stringify({ callbackId: randomUUID(), referralId: randomUUID(), action: 'accept', occurredAt: new Date().toISOString() });
        const started = Date.now();
        const answer = await app.inject({ method: 'POST', url: '/v1/adapters/education.school/callbacks', payload: body, headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body) } });
        expect(Date.now() - started).toBeLessThan(3000);
        expect(answer.statusCode).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
        expect(answer.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
        const ready = await app.inject({ method: 'GET', url: '/health/ready' });
        expect(ready.statusCode).toBe(503);
        expect(ready.json()).toMatchObject({ checks: { postgres: 'down' } });
      } finally {
        await app.close();
        await away.close().catch(() => {});
        frozen.close();
      }
    });
  });

  describe('state in PostgreSQL', () => {
    const ctx = (): HandlerContext => ({ topic: topics.referral, partition: 0, offset: '0', logger, attempt: 1, headers: {}, signal: new AbortController().signal });
    const store = () => referralStore(db);

    it('reports postgres, redis and kafka in readiness', async () => {
      const ready = await host.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ checks: { postgres: 'up', redis: 'up', kafka: 'up' } });
    });

    it('queues one delivery for a routed event handled twice (the first transaction rolled back after the job was added)', async () => {
      const events = referralEvents();
      const { referralId } = events;
      subjects.set(referralId, events.subjectRef);
      referralApi.hold(referralId, { 'need-description': 'synthetic' });
      grant(events.subjectRef, SCHOOL);
      await bus.publish(topics.referral, events.submitted);
      await eventually(async () => (await store().facts(referralId)) ?? undefined, 'the submitted facts');
      const spec = referralProjection({ name: projectionName, referralTopic: topics.referral, queue: host.queue, adapters, decider: testDecider, publicUrl: config.POLKU_PUBLIC_URL, attempts: config.POLKU_DELIVERY_ATTEMPTS });
      // A crash between adding the job and the commit: the projection applies the event again.
      await expect(db.transaction(async (tx) => {
        await spec.apply(tx, events.routed, ctx());
        throw new Error('crash before commit (test)');
      })).rejects.toThrow('crash before commit');
      await db.transaction((tx) => spec.apply(tx, events.routed, ctx()));
      // And the bus delivers it too.
      await bus.publish(topics.referral, events.routed);
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
      await settle();
      expect(stubDelivery(referralId)).toMatchObject({ attempts: 1, answers: [200] });
      expect(eventsFor('fi.polku.delivery.succeeded.v1', referralId)).toHaveLength(1);
      expect((await store().recipients(referralId))[SCHOOL.serviceId]).toMatchObject({ state: 'delivered' });
    });

    it('adds the queued delivery again after the BullMQ keys are deleted, and delivers it once', async () => {
      await stub.script([{ status: 503, retryAfter: '30' }]);
      const { referralId } = await publishReferral();
      const deliveryId = derivedEventId(referralId, 'deliver/jkl-basic-education');
      await eventually(async () => (await (await host.queue.getJob(deliveryId))?.getState()) === 'delayed' || undefined, 'the job waiting 30 s after a 503');
      expect((await store().recipients(referralId))[SCHOOL.serviceId]).toMatchObject({ state: 'queued', deliveryId });
      // Redis loses the queue: every key under the host's prefix.
      expect(await deleteKeys(hostRedis, config.POLKU_QUEUE_PREFIX)).toBeGreaterThan(0);
      expect(await host.queue.getJob(deliveryId)).toBeUndefined();
      expect(await host.reconcile()).toEqual({ queued: 1, added: 1 });
      const succeeded = await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded after reconciliation');
      expect(succeeded.data).toMatchObject({ deliveryId });
      // Reconciling again adds nothing: the recipient is delivered.
      expect(await host.reconcile()).toEqual({ queued: 0, added: 0 });
      await settle();
      expect(stubDelivery(referralId)).toMatchObject({ idempotencyKey: deliveryId, answers: [503, 200] });
      expect(eventsFor('fi.polku.delivery.succeeded.v1', referralId)).toHaveLength(1);
      expect(eventsFor('fi.polku.referral.delivered.v1', referralId)).toHaveLength(1);
    });

    it('sends nothing for a job added again for a delivery the ledger says was made', async () => {
      const { referralId } = await publishReferral();
      const deliveryId = derivedEventId(referralId, 'deliver/jkl-basic-education');
      await eventually(eventFor('fi.polku.delivery.succeeded.v1', referralId), 'delivery.succeeded');
      const entry = await store().delivery(deliveryId);
      expect(entry).toMatchObject({ outcome: 'delivered', plan: { delivery: { deliveryId } } });
      await (await host.queue.getJob(deliveryId))?.remove();
      expect(await enqueueDelivery(host.queue, entry!.plan, { attempts: 3 })).toBe(true);
      await eventually(async () => (await (await host.queue.getJob(deliveryId))?.getState()) === 'completed' || undefined, 'the job added again, completed');
      await settle(500);
      expect(stubDelivery(referralId)?.attempts).toBe(1);
      expect(eventsFor('fi.polku.delivery.succeeded.v1', referralId)).toHaveLength(1);
    });

    it('delivers nothing again when the projection is rebuilt while the host runs, even with the completed jobs gone from BullMQ', async () => {
      const { referralId } = await publishReferral();
      await eventually(eventFor('fi.polku.referral.delivered.v1', referralId), 'referral.delivered');
      await settle(500);
      const posts = () => [...stub.ledger.deliveries.values(), ...ngoStub.ledger.deliveries.values()].reduce((sum, d) => sum + d.attempts, 0);
      const before = { posts: posts(), events: seen.records.length, recipients: await store().recipients(referralId) };
      // Past BullMQ's 30 days, job ids no longer guard: only the ledger does.
      await host.queue.clean(0, 10_000, 'completed');
      const generation = await db.transaction((tx) => rebuild(tx, projectionName));
      await eventually(() => host.projection.generation() === generation || undefined, 'the projection on its new generation');
      await host.projection.caughtUp();
      await settle(2000);
      expect(posts()).toBe(before.posts);
      expect(seen.records.length).toBe(before.events);
      expect(await store().recipients(referralId)).toMatchObject({ [SCHOOL.serviceId]: { state: 'delivered' }, [NGO.serviceId]: { state: 'waiting' } });
      expect(before.recipients).toMatchObject({ [SCHOOL.serviceId]: { state: 'delivered' }, [NGO.serviceId]: { state: 'waiting' } });
      // The ledger restored the delivered recipient: no job was even added again.
      expect(await host.queue.getJob(derivedEventId(referralId, 'deliver/jkl-basic-education'))).toBeUndefined();
      expect(await host.queue.getJobCountByTypes('waiting', 'delayed', 'active')).toBe(0);
    });
  });
});
