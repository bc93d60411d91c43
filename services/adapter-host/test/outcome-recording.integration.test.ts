import { randomBytes, randomUUID } from 'node:crypto';
import { startReferralApiDouble, type ReferralApiDouble } from '@polku/adapter-kit/conformance';
import { startStub, type RunningStub } from '@polku/adapter-education-school/stub';
import { createBus, DEAD_LETTER_HEADERS as H, type Bus } from '@polku/bus';
import type { Decision } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { SectorAdapter } from '@polku/adapter-kit';
import type { ReferralRoutedV1, ReferralSubmittedV1 } from '@polku/contracts';
import { DatabaseUnavailable, type Database } from '@polku/db';
import { startRelay, type Relay } from '@polku/outbox';
import { createLogger, newSigningKey } from '@polku/service-kit';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHostConfig } from '../src/config';
import { disclosureLog } from '@polku/disclosure-log';
import { deliveryOutcomes } from '../src/deliveries/delivery-outcomes';
import { DELIVERY_QUEUE, enqueueDelivery } from '../src/deliveries/delivery-queue';
import { startDeliveryWorker } from '../src/deliveries/delivery-worker';
import type { DeliveryJobData } from '../src/domain/delivery-job';
import { planDeliveries } from '../src/domain/plan-deliveries';
import { fromWire } from '../src/domain/wire';
import { referralStore } from '../src/store/referral-store';
import { collect, deleteKeys, eventually, freshTopic, ownDatabase, referralEvents, testEnv } from './helpers';

const logger = createLogger({ service: 'adapter-host-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const secret = randomBytes(32);
const SCHOOL = { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education', sector: 'education' } as const;
/** Consent covers every delivery here: these tests are about recording, not about consent. */
const allowAll: ConsentDecider = { decide: async (question) => ({ allowed: true, basis: { kind: 'statute', statute: 'lsl-25' }, dataCategories: [...question.dataCategories] }) satisfies Decision };

/**
 * The worker alone, when what it must record cannot be written: PostgreSQL refusing the
 * transaction, or Kafka refusing the dead letter. The outcome waits in the job and is recorded
 * later; the system is not called a second time.
 */
describe('recording a delivery outcome while PostgreSQL or Kafka is away', () => {
  let stub: RunningStub;
  let referralApi: ReferralApiDouble;
  let bus: Bus;
  let db: Database;
  let dropDatabase: () => Promise<void>;
  let relay: Relay;
  let connection: Redis;
  let queue: Queue<DeliveryJobData>;
  let worker: Worker<DeliveryJobData>;
  let topics: { referral: string; delivery: string; disclosure: string };
  let adapters: readonly SectorAdapter[];
  let seen: Awaited<ReturnType<typeof collect>>;
  const prefix = `test-${randomUUID()}`;
  /** How many more times each dependency refuses. */
  const away = { database: 0, deadLetter: 0 };
  const refused = { database: 0, deadLetter: 0 };

  beforeAll(async () => {
    const env = testEnv();
    stub = await startStub({ secret });
    referralApi = await startReferralApiDouble({ keys: { 'school-key': SCHOOL.organisationId } });
    bus = createBus({ brokers: env.brokers, clientId: 'adapter-host-test', logger });
    topics = { referral: await freshTopic(bus, 'referral'), delivery: await freshTopic(bus, 'delivery'), disclosure: await freshTopic(bus, 'disclosure') };
    ({ db, drop: dropDatabase } = await ownDatabase(logger));
    relay = startRelay({ db, bus, logger, pollMs: 100 });
    const loaded = loadHostConfig({
      POLKU_EDUCATION_SCHOOL_URL: stub.url, POLKU_EDUCATION_SCHOOL_SECRET: secret.toString('base64'),
      POLKU_EDUCATION_SCHOOL_ORGANISATIONS: SCHOOL.organisationId, POLKU_EDUCATION_SCHOOL_KEYS: `${SCHOOL.organisationId}=school-key`,
      POLKU_NGO_WEBHOOK_URL: stub.url, POLKU_NGO_WEBHOOK_SECRET: secret.toString('base64'),
      POLKU_NGO_WEBHOOK_ORGANISATIONS: 'mll-keski-suomi', POLKU_NGO_WEBHOOK_KEYS: 'mll-keski-suomi=ngo-key',
      POLKU_REFERRAL_API_URL: referralApi.url, POLKU_CONSENT_KEY: 'unused',
      POLKU_DISCLOSURE_SIGNING_KEY: newSigningKey('adapter-host-test').signingKey,
    });
    adapters = loaded.adapters;
    // The real database and bus, each refusing while the test says it is away.
    const flakyDb: Database = {
      ...db,
      transaction: (work) => (away.database-- > 0 ? (refused.database++, Promise.reject(new DatabaseUnavailable(new Error('ECONNREFUSED (test)')))) : db.transaction(work)),
    };
    const flakyBus: Bus = {
      ...bus,
      deadLetter: (topic, event, reason) => (away.deadLetter-- > 0 ? (refused.deadLetter++, Promise.reject(new Error('KafkaJSConnectionError: Connection error: connect ECONNREFUSED (test)'))) : bus.deadLetter(topic, event, reason)),
    };
    connection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE, { connection, prefix });
    worker = startDeliveryWorker({
      connection, prefix, adapters, decider: allowAll, db: flakyDb, logger,
      outcomes: deliveryOutcomes({ db: flakyDb, bus: flakyBus, by: 'adapter-host', topics, disclosureLog: disclosureLog({ topic: topics.disclosure, writer: 'adapter-host' }) }),
      backoff: { baseMs: 50, maxMs: loaded.config.POLKU_DELIVERY_BACKOFF_MAX_MS },
    });
    seen = await collect([topics.referral, topics.delivery, `${topics.referral}.dlq`], logger);
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    if (connection) {
      await deleteKeys(connection, prefix);
      await connection.quit();
    }
    await relay?.stop();
    await seen?.stop();
    await bus?.close();
    await dropDatabase?.();
    await stub?.close();
    await referralApi?.close();
  });

  /** A school delivery's plan, as the projection would queue it (the ledger row comes with the outcome). */
  const queueDelivery = async () => {
    const events = referralEvents();
    referralApi.hold(events.referralId, { 'need-description': 'synthetic' });
    const submitted = fromWire<ReferralSubmittedV1>(events.submitted).data;
    const { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt } = submitted;
    const [plan] = planDeliveries({
      routed: fromWire<ReferralRoutedV1>(events.routed), facts: { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt },
      subject: { subjectRef: events.subjectRef, submitterRole: 'teacher', legalBasis }, adapters, publicUrl: 'http://host.test',
      position: { topic: topics.referral, partition: 0, offset: '0' },
    });
    await enqueueDelivery(queue, plan!, { attempts: 3 });
    return { referralId: events.referralId, deliveryId: plan!.delivery.deliveryId };
  };
  const stubDelivery = (referralId: string) => [...stub.ledger.deliveries.values()].find((d) => d.referralId === referralId);
  const eventsFor = (type: string, referralId: string) => seen.events(type).filter((e) => e.subject === referralId);
  const stateOf = async (deliveryId: string) => (await (await queue.getJob(deliveryId))?.getState()) ?? 'gone';

  it('records a delivery made while PostgreSQL refused, without a second POST and without using an attempt', async () => {
    away.database = 3;
    const { referralId, deliveryId } = await queueDelivery();
    await eventually(async () => (await stateOf(deliveryId)) === 'completed' || undefined, 'the job completed once recorded');
    expect(refused.database).toBe(3);
    expect(stubDelivery(referralId)).toMatchObject({ idempotencyKey: deliveryId, attempts: 1, answers: [200] });
    expect(await referralStore(db).delivery(deliveryId)).toMatchObject({ outcome: 'delivered' });
    expect((await referralStore(db).recipients(referralId))[SCHOOL.serviceId]).toMatchObject({ state: 'delivered', deliveryId });
    const succeeded = await eventually(() => eventsFor('fi.polku.delivery.succeeded.v1', referralId)[0], 'delivery.succeeded');
    expect(succeeded.data).toMatchObject({ attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(eventsFor('fi.polku.referral.delivered.v1', referralId)).toHaveLength(1);
  });

  it('does not count the referral API being a moment behind the routing (409, 404) as attempts at the school', async () => {
    // The flake of guidance-flow's "retries a school system that is down": 4 attempts expected, 6 seen.
    referralApi.script([409, 404, 409]);
    await stub.script([{ status: 503 }, { status: 200 }]);
    const { referralId, deliveryId } = await queueDelivery();
    const succeeded = await eventually(() => eventsFor('fi.polku.delivery.succeeded.v1', referralId)[0], 'delivery.succeeded');
    expect(succeeded.data).toMatchObject({ attempts: 2 });
    expect(stubDelivery(referralId)).toMatchObject({ idempotencyKey: deliveryId, attempts: 2, answers: [503, 200] });
    expect(referralApi.requests.filter((r) => r.referralId === referralId).map((r) => r.status)).toEqual([409, 404, 409, 200, 200]);
  });

  it('writes the dead letter Kafka refused later: one delivery.failed, one dead letter, one POST', async () => {
    await stub.script([{ status: 422, body: '{"error":"unknown-school-service"}' }]);
    away.deadLetter = 2;
    const { referralId, deliveryId } = await queueDelivery();
    const letter = await eventually(() => seen.records.find((r) => r.topic.endsWith('.dlq') && r.key?.toString() === referralId), 'the dead letter');
    expect(refused.deadLetter).toBe(2);
    expect(letter.headers).toMatchObject({ [H.errorCode]: 'DELIVERY_REJECTED', [H.attempts]: '1', [H.originalTopic]: topics.referral });
    expect(letter.headers[H.errorMessage]).toContain('HTTP 422: {"error":"unknown-school-service"}');
    await eventually(async () => (await stateOf(deliveryId)) === 'failed' || undefined, 'the job failed for good');
    await eventually(() => eventsFor('fi.polku.delivery.failed.v1', referralId)[0], 'delivery.failed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(eventsFor('fi.polku.delivery.failed.v1', referralId)).toHaveLength(1);
    expect(seen.records.filter((r) => r.topic.endsWith('.dlq') && r.key?.toString() === referralId)).toHaveLength(1);
    expect(stubDelivery(referralId)?.attempts).toBe(1);
    expect((await referralStore(db).recipients(referralId))[SCHOOL.serviceId]).toMatchObject({ state: 'failed' });
  });
});
