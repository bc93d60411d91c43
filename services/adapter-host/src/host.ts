import type { SectorAdapter } from '@polku/adapter-kit';
import type { Bus } from '@polku/bus';
import { httpConsentDecider, type ConsentDecider } from '@polku/consent-policy/client';
import { TOPICS } from '@polku/contracts';
import { disclosureLog } from '@polku/disclosure-log';
import type { Database } from '@polku/db';
import { startProjection, type RunningProjection } from '@polku/projection';
import { serverTls, type Closeable, type Logger } from '@polku/service-kit';
import { watchQueue } from '@polku/telemetry';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { HostConfig } from './config';
import { DELIVERY_QUEUE } from './deliveries/delivery-queue';
import { deliveryOutcomes } from './deliveries/delivery-outcomes';
import { startDeliveryWorker } from './deliveries/delivery-worker';
import { reconcileDeliveries, type Reconciled } from './deliveries/reconcile-deliveries';
import { startDeliveryReplays } from './deliveries/replay-deliveries';
import type { DeliveryJobData } from './domain/delivery-job';
import { referralProjection } from './referral-projection';

export interface HostDeps {
  config: HostConfig;
  adapters: readonly SectorAdapter[];
  logger: Logger;
  /** Consumes the referral topic and writes dead letters; events go through the outbox (`db`). */
  bus: Bus;
  /** The host's state: the projection's tables, the delivery ledger and the outbox. */
  db: Database;
  /** For readiness; BullMQ gets a connection of its own. */
  redis: Redis;
  /** @defaultValue the consent service at POLKU_CONSENT_URL, with POLKU_CONSENT_KEY */
  decider?: ConsentDecider;
  /** The projection's name (its consumer group is `projection.<name>.g<generation>`). @defaultValue `adapter-host` */
  projectionName?: string;
  /** How often the projection looks for a rebuild asked elsewhere. @defaultValue 2000 */
  projectionWatchMs?: number;
  /** @defaultValue TOPICS.referral and TOPICS.delivery (and TOPICS.disclosure); tests use fresh ones */
  topics?: { referral: string; delivery: string; disclosure?: string };
}

export interface RunningHost {
  app: FastifyInstance;
  queue: Queue<DeliveryJobData>;
  worker: Worker<DeliveryJobData>;
  projection: RunningProjection;
  /** Re-adds the BullMQ job of every queued recipient from the tables (run once at start). */
  reconcile(): Promise<Reconciled>;
  /** In shutdown order: stop taking work, finish the delivery in flight, then the queue's connection. */
  closeables: Closeable[];
}

/** Wires the projection, the delivery queue and worker, and the callback app. Does not listen. */
export async function startAdapterHost(deps: HostDeps): Promise<RunningHost> {
  const { config, logger, bus, db } = deps;
  const name = deps.projectionName ?? 'adapter-host';
  const topics = deps.topics ?? TOPICS;
  const prefix = config.POLKU_QUEUE_PREFIX;
  const attempts = config.POLKU_DELIVERY_ATTEMPTS;
  const decider = deps.decider ?? httpConsentDecider({ baseUrl: config.POLKU_CONSENT_URL, apiKey: config.POLKU_CONSENT_KEY });
  // BullMQ's blocking commands need a connection that never gives up on a request.
  const bullRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE, { connection: bullRedis, prefix });
  const unwatchQueue = watchQueue(queue);
  const worker = startDeliveryWorker({
    connection: bullRedis,
    prefix,
    adapters: deps.adapters,
    outcomes: deliveryOutcomes({ db, bus, by: name, topics, disclosureLog: disclosureLog({ topic: topics.disclosure ?? TOPICS.disclosure, writer: 'adapter-host', signingKey: config.POLKU_DISCLOSURE_SIGNING_KEY }) }),
    decider,
    db,
    backoff: { baseMs: config.POLKU_DELIVERY_BACKOFF_MS, maxMs: config.POLKU_DELIVERY_BACKOFF_MAX_MS },
    logger: logger.child({ component: 'delivery-worker' }),
  });
  worker.on('error', (error) => logger.error({ err: error }, 'delivery worker error'));
  const reconcile = () => reconcileDeliveries({ db, queue, attempts, logger: logger.child({ component: 'reconcile' }) });
  // Whatever Redis lost while the host was down is queued again before anything new comes in.
  await reconcile();
  const projection = await startProjection({
    db,
    bus,
    logger,
    spec: referralProjection({ name, referralTopic: topics.referral, queue, adapters: deps.adapters, decider, publicUrl: config.POLKU_PUBLIC_URL, attempts }),
    ...(deps.projectionWatchMs === undefined ? {} : { watchMs: deps.projectionWatchMs }),
  });
  // Not awaited: joining one more group must not hold up the host's start.
  const replays = startDeliveryReplays({ bus, db, queue, attempts, consumer: name, logger }).catch((error: unknown) => {
    logger.warn({ err: error }, 'delivery replays not read: replayed delivery dead letters wait for the next start');
    return undefined;
  });
  const app = await buildApp({
    logger,
    tls: serverTls(config),
    adapters: deps.adapters,
    db,
    referralTopic: topics.referral,
    readiness: {
      postgres: async () => void (await db.query('SELECT 1')),
      redis: async () => void (await deps.redis.ping()),
      kafka: () => bus.ping(),
    },
  });
  const closeables: Closeable[] = [
    { name: 'http', close: () => app.close() },
    { name: 'referral projection', close: () => projection.stop() },
    { name: 'delivery replays', close: async () => (await replays)?.stop() },
    { name: 'delivery worker', close: () => worker.close() },
    { name: 'delivery queue', close: () => { unwatchQueue(); return queue.close(); } },
    { name: 'bullmq redis', close: async () => void (await bullRedis.quit()) },
  ];
  return { app, queue, worker, projection, reconcile, closeables };
}
