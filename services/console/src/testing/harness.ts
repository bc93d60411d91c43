import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createBus, createKafkajsTransport, namespacedTransport, type Bus, type TransportProducer } from '@polku/bus';
import { topicForType, type CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase, loadTopicDeclarations } from '@polku/infra';
import type { RunningProjection } from '@polku/projection';
import { openQueueRedis } from '@polku/queues';
import { createLogger, sqlApiKeyStore } from '@polku/service-kit';
import { buildApp } from '../app';
import { createOperatorAudit, MAX_REPLAYS } from '../dead-letters';
import { readLag } from '../ops/lag';
import { backboneQueues, type BackboneQueues } from '../ops/queues';
import { startConsoleProjection } from '../projection/console-projection';
import { traceReader } from '../trace/trace-reader';

/** Every line the console logs during a test file, for the check that nothing personal is written. */
export const logLines: string[] = [];
export const logger = createLogger({ service: 'console-test', level: 'info', destination: { write: (line: string) => void logLines.push(line) } });

export interface ConsoleHarness {
  app: FastifyInstance;
  bus: Bus;
  db: Database;
  redis: Redis;
  /** This file's own BullMQ prefix: the backbone's queue names under it. */
  queuePrefix: string;
  queues: BackboneQueues;
  projection: RunningProjection;
  keys: { operator: string; auditor: string; submitter: string };
  /** Publishes each event to the topic of its type (this file's namespace). */
  publish(events: readonly CloudEvent[]): Promise<void>;
  get(url: string, key?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/**
 * The console on the real broker, Redis and PostgreSQL of the integration tests: topics and groups
 * of its own namespace, a BullMQ prefix of its own, a fresh migrated database of its own.
 */
export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const { KAFKA_BROKERS: brokers, REDIS_URL: redisUrl, DATABASE_URL: databaseUrl } = process.env;
  if (!brokers || !redisUrl || !databaseUrl) throw new Error('console integration tests need KAFKA_BROKERS, REDIS_URL and DATABASE_URL');
  const namespace = `console-${randomUUID().slice(0, 8)}`;
  // A database of the file's own: the index is per deployment (topic names carry no namespace),
  // and the alerts count every event in it.
  const own = await freshTestDatabase(databaseUrl, 'console');
  const db = createDatabase({ url: own.url, applicationName: 'console-test', logger, timeoutMs: 10_000 });
  const transport = namespacedTransport(createKafkajsTransport({ brokers: brokers.split(','), clientId: 'console-test', logger }), namespace);
  const bus = createBus({ brokers: brokers.split(','), clientId: 'console-test', logger, transport });
  await bus.ensureTopics(loadTopicDeclarations());
  const redis = await openQueueRedis({ url: redisUrl, logger });
  const queuePrefix = `polku-${namespace}`;
  const queues = backboneQueues(redis, queuePrefix);
  const projection = await startConsoleProjection({ db, bus, logger });
  const store = sqlApiKeyStore(db);
  const issue = async (organisationId: string, roles: ('operator' | 'auditor' | 'submitter')[]) => (await store.issue({ organisationId, systemId: `console-test-${namespace}`, roles })).key;
  const keys = { operator: await issue('polku-operations', ['operator']), auditor: await issue('polku-audit', ['auditor']), submitter: await issue('jyvaskyla-education', ['submitter']) };
  const producer: TransportProducer = transport.producer();
  await producer.connect();
  const app = await buildApp({
    logger, db,
    traces: traceReader(db, queues.deliveries),
    lag: () => readLag(bus, db),
    queues: () => queues.read(),
    // The dead-letter routes' own tests are in @polku/dead-letters; here they are only mounted.
    deadLetters: { db, audit: createOperatorAudit({ bus, logger, service: 'console' }), replayer: { producer, admin: await bus.admin(), maxReplays: MAX_REPLAYS } },
    readiness: { postgres: async () => void (await db.query('SELECT 1')), kafka: () => bus.ping(), redis: async () => void (await redis.ping()) },
  });
  return {
    app, bus, db, redis, queuePrefix, queues, projection, keys,
    async publish(events) {
      for (const event of events) await bus.publish(topicForType(event.type), event);
    },
    async get(url, key = keys.operator) {
      const answer = await app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
      return { status: answer.statusCode, body: answer.body ? JSON.parse(answer.body) : undefined };
    },
    async close() {
      await app.close();
      await projection.stop();
      await producer.disconnect();
      await queues.close();
      const admin = await bus.admin();
      await admin.deleteGroups(await admin.listGroups()).catch(() => {});
      await admin.deleteTopics(await admin.listTopics()).catch(() => {});
      await bus.close();
      await redis.quit();
      await db.close();
      await own.drop();
    },
  };
}
