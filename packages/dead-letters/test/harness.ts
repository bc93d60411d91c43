import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createBus, createKafkajsTransport, namespacedTransport, type Bus, type Transport, type TransportProducer } from '@polku/bus';
import { createEvent, TOPICS, type CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { createOperatorAudit, type OperatorAudit } from '@polku/operator-audit';
import { startProjection, type RunningProjection } from '@polku/projection';
import { createHttpApp, createLogger, PolkuError, registerApiKeyAuth, sqlApiKeyStore, type ApiKeyStore } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import type { FastifyInstance } from 'fastify';
import { MAX_REPLAYS, registerDeadLetterRoutes, startBulkRunner, startDeadLetterRegister, type BulkRunner, type Replayer, type RunningRegister } from '../src/index';

export const logger = createLogger({ service: 'dead-letters-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
export const brokers = () => process.env['KAFKA_BROKERS']!.split(',');
const EXAMPLE = JSON.parse(readFileSync(new URL('../../../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url), 'utf8')) as CloudEvent;

export const SOURCE = TOPICS.referral;
export const retryTopic = (projection: string) => `polku.retry.v1.projection.${projection}`;

export function submitted(referralId = randomUUID()): CloudEvent {
  return createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: referralId, data: { ...EXAMPLE.data, referralId }, correlationid: referralId, legalbasis: 'consent' }) as unknown as CloudEvent;
}

/**
 * Two projections on the same topic, on the real broker and PostgreSQL: `picky` fails on the
 * events it is told to (the cause an operator fixes), `other` never fails. Each remembers what
 * reached its `apply` and from which topic.
 */
export interface Harness {
  db: Database;
  bus: Bus;
  transport: Transport;
  producer: TransportProducer;
  app: FastifyInstance;
  keys: { operator: string; auditor: string; submitter: string };
  keyIds: { operator: string };
  /** Event id → the error code `picky` fails it with. */
  failing: Map<string, string>;
  applied: { picky: { id: string; topic: string }[]; other: { id: string; topic: string }[] };
  replayer: Replayer;
  audit: OperatorAudit;
  store: ApiKeyStore;
  register: RunningRegister;
  runner: (tickMs?: number) => BulkRunner;
  appWith(audit: OperatorAudit): Promise<FastifyInstance>;
  endOffset(topic: string): Promise<number>;
  /** Every event on a topic, from the start. */
  readTopic(topic: string, count: number): Promise<CloudEvent[]>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const own = await freshTestDatabase(process.env['DATABASE_URL']!, 'deadletters');
  const db = createDatabase({ url: own.url, applicationName: 'dead-letters-test', logger });
  const namespace = `dlt${randomUUID().slice(0, 8)}`;
  const transport = namespacedTransport(createKafkajsTransport({ brokers: brokers(), clientId: 'dead-letters-test', logger }), namespace);
  const bus = createBus({ brokers: brokers(), clientId: 'dead-letters-test', logger, transport });
  const topic = { partitions: 1, cleanupPolicy: 'delete' as const, retentionMs: 3_600_000, keyedBy: 'test' };
  await bus.ensureTopics([
    { ...topic, name: SOURCE, deadLetter: { retentionMs: 3_600_000 } },
    { ...topic, name: TOPICS.operatorAction, deadLetter: { retentionMs: 3_600_000 } },
    { ...topic, name: retryTopic('picky') },
    { ...topic, name: retryTopic('other') },
  ]);
  const admin = await bus.admin();
  const producer = transport.producer();
  await producer.connect();

  const failing = new Map<string, string>();
  const applied: Harness['applied'] = { picky: [], other: [] };
  const projections: RunningProjection[] = [];
  for (const name of ['picky', 'other'] as const) {
    projections.push(await startProjection({
      db, bus, logger, watchMs: 60_000,
      spec: {
        name, topics: [SOURCE], tables: [], maxAttempts: 1, backoff: { initialMs: 10, maxMs: 10 },
        apply: async (_tx, event, context) => {
          const code = name === 'picky' ? failing.get(event.id) : undefined;
          if (code) throw new PolkuError(code, 'the picky projection cannot take this event yet (test)', { retryable: false });
          applied[name].push({ id: event.id, topic: context.topic });
        },
      },
    }));
  }

  const register = await startDeadLetterRegister({ db, transport, admin, logger, maxReplays: MAX_REPLAYS });
  const audit = createOperatorAudit({ bus, logger, service: 'console' });
  const replayer: Replayer = { producer, admin, maxReplays: MAX_REPLAYS };
  const store = sqlApiKeyStore(db);
  const issue = async (name: string, roles: ('operator' | 'auditor' | 'submitter')[]) => store.issue({ organisationId: 'polku-operations', systemId: `test-${name}`, roles });
  const operator = await issue('operator', ['operator']);
  const keys = { operator: operator.key, auditor: (await issue('auditor', ['auditor'])).key, submitter: (await issue('submitter', ['submitter'])).key };

  const runners: BulkRunner[] = [];
  const apps: FastifyInstance[] = [];
  const appWith = async (withAudit: OperatorAudit) => {
    const app = await createHttpApp({ logger, title: 'dead letters (test)', version: '0' });
    registerApiKeyAuth(app, store);
    await registerDeadLetterRoutes(app, { db, audit: withAudit, replayer });
    await app.ready();
    apps.push(app);
    return app;
  };
  const app = await appWith(audit);

  const readTopic = async (name: string, count: number) => {
    const consumer = transport.consumer({ groupId: `reader-${randomUUID()}` });
    const events: CloudEvent[] = [];
    await consumer.connect();
    await consumer.subscribe([name], true);
    await consumer.run(async (record) => void events.push(JSON.parse(record.value!.toString()) as CloudEvent));
    try {
      await eventually(() => events.length >= count || undefined, `${count} events on ${name}`);
    } finally {
      await consumer.disconnect();
    }
    return events;
  };

  return {
    db, bus, transport, producer, app, keys, keyIds: { operator: operator.caller.keyId }, failing, applied, replayer, audit, store, register, appWith, readTopic,
    runner: (tickMs = 3_600_000) => {
      const runner = startBulkRunner({ db, replayer, audit, logger, tickMs });
      runners.push(runner);
      return runner;
    },
    endOffset: async (name) => (await admin.fetchTopicOffsets(name)).reduce((sum, p) => sum + Number(p.high), 0),
    async close() {
      await Promise.all(runners.map((r) => r.stop()));
      await Promise.all(apps.map((a) => a.close()));
      await register.stop();
      await Promise.all(projections.map((p) => p.stop()));
      await producer.disconnect();
      await bus.close();
      await db.close();
      await own.drop();
    },
  };
}
