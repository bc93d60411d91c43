import type { SectorAdapter } from '@polku/adapter-kit';
import type { Bus, ConsumerHandle } from '@polku/bus';
import { httpConsentDecider, type ConsentDecider } from '@polku/consent-policy/client';
import { TOPICS } from '@polku/contracts';
import type { Closeable, Logger } from '@polku/service-kit';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { HostConfig } from './config';
import { DELIVERY_QUEUE } from './deliveries/delivery-queue';
import { deliveryOutcomes } from './deliveries/delivery-outcomes';
import { startDeliveryWorker } from './deliveries/delivery-worker';
import type { DeliveryJobData } from './domain/delivery-job';
import { referralHandler } from './referral-consumer';
import { referralStore } from './store/referral-store';

export interface HostDeps {
  config: HostConfig;
  adapters: readonly SectorAdapter[];
  logger: Logger;
  bus: Bus;
  /** For the host's own state; BullMQ gets connections of its own. */
  redis: Redis;
  /** @defaultValue the consent service at POLKU_CONSENT_URL, with POLKU_CONSENT_KEY */
  decider?: ConsentDecider;
  /** @defaultValue `adapter-host` */
  groupId?: string;
  /** @defaultValue TOPICS.referral and TOPICS.delivery; tests use fresh ones */
  topics?: { referral: string; delivery: string };
}

export interface RunningHost {
  app: FastifyInstance;
  queue: Queue<DeliveryJobData>;
  worker: Worker<DeliveryJobData>;
  /** In shutdown order: stop consuming, finish the delivery in flight, then the HTTP side and connections. */
  closeables: Closeable[];
}

/** Wires the consumer, the delivery queue and worker, and the callback app. Does not listen. */
export async function startAdapterHost(deps: HostDeps): Promise<RunningHost> {
  const { config, logger, bus } = deps;
  const groupId = deps.groupId ?? 'adapter-host';
  const topics = deps.topics ?? TOPICS;
  const prefix = config.POLKU_QUEUE_PREFIX;
  const store = referralStore(deps.redis, prefix);
  const decider = deps.decider ?? httpConsentDecider({ baseUrl: config.POLKU_CONSENT_URL, apiKey: config.POLKU_CONSENT_KEY });
  // BullMQ's blocking commands need a connection that never gives up on a request.
  const bullRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE, { connection: bullRedis, prefix });
  const worker = startDeliveryWorker({
    connection: bullRedis,
    prefix,
    adapters: deps.adapters,
    outcomes: deliveryOutcomes(bus, groupId, topics),
    decider,
    store,
    backoff: { baseMs: config.POLKU_DELIVERY_BACKOFF_MS, maxMs: config.POLKU_DELIVERY_BACKOFF_MAX_MS },
    logger: logger.child({ component: 'delivery-worker' }),
  });
  worker.on('error', (error) => logger.error({ err: error }, 'delivery worker error'));
  const app = await buildApp({
    logger,
    adapters: deps.adapters,
    store,
    bus,
    referralTopic: topics.referral,
    readiness: { redis: async () => void (await deps.redis.ping()), kafka: async () => void (await bus.lag(groupId, [topics.referral])) },
  });
  const consumer: ConsumerHandle = await bus.consume({
    groupId,
    topics: [topics.referral],
    fromBeginning: true,
    handler: referralHandler({ store, queue, adapters: deps.adapters, decider, publicUrl: config.POLKU_PUBLIC_URL, attempts: config.POLKU_DELIVERY_ATTEMPTS }),
  });
  const closeables: Closeable[] = [
    { name: 'referral consumer', close: () => consumer.stop() },
    { name: 'delivery worker', close: () => worker.close() },
    { name: 'http', close: () => app.close() },
    { name: 'delivery queue', close: () => queue.close() },
    { name: 'bus', close: () => bus.close() },
    { name: 'bullmq redis', close: async () => void (await bullRedis.quit()) },
    { name: 'redis', close: async () => void (await deps.redis.quit()) },
  ];
  return { app, queue, worker, closeables };
}
