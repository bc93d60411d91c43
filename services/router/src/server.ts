import { Redis } from 'ioredis';
import { createBus } from '@polku/bus';
import { httpConsentDecider } from '@polku/consent-policy/client';
import { loadCatalogue } from '@polku/catalogue';
import { openServiceDatabase } from '@polku/db';
import { closeOnSignal, createLogger, errorCode, type Logger } from '@polku/service-kit';
import { buildApp } from './app';
import { loadRouterConfig, type RouterConfig } from './config';
import { loadRules } from './domain/load-rules';
import { startRouter } from './start-router';

// A bad setting stops the process here with CONFIG_INVALID listing every problem.
const config = loadRouterConfig();
const logger = createLogger({ service: 'router', level: config.LOG_LEVEL });

try {
  await main(config, logger);
} catch (error) {
  logger.fatal({ err: error, code: errorCode(error) }, 'router failed to start');
  process.exit(1);
}

async function main(config: RouterConfig, logger: Logger): Promise<void> {
  // Both files are validated before anything connects: a bad edit stops the start, listing every problem.
  const [catalogue, rules] = await Promise.all([loadCatalogue(config.POLKU_CATALOGUE_FILE), loadRules(config.POLKU_RULES_FILE)]);
  const db = await openServiceDatabase(config, 'router', logger);
  const redis = new Redis(config.REDIS_URL);
  // BullMQ workers block on Redis and need a connection that never gives up on a command.
  const queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'router', logger, redis, namespace: config.POLKU_NAMESPACE });
  const timing = {
    followUpMonths: config.POLKU_FOLLOW_UP_MONTHS,
    slaOverrideMs: config.POLKU_SLA_OVERRIDE_MS,
    followUpOverrideMs: config.POLKU_FOLLOW_UP_OVERRIDE_MS,
  };
  if (timing.slaOverrideMs !== undefined || timing.followUpOverrideMs !== undefined) {
    logger.warn({ slaOverrideMs: timing.slaOverrideMs, followUpOverrideMs: timing.followUpOverrideMs }, 'timer overrides set: for tests and demos only');
  }
  const consent = httpConsentDecider({ baseUrl: config.POLKU_CONSENT_URL, apiKey: config.POLKU_CONSENT_KEY });
  const router = await startRouter({ bus, redis, queueConnection, catalogue, rules, logger, timing, consent, queuePrefix: config.POLKU_QUEUE_PREFIX });

  const app = await buildApp({
    logger,
    db,
    timers: router.timers,
    memory: router.memory,
    readiness: {
      postgres: async () => void (await db.query('SELECT 1')),
      kafka: async () => void (await bus.lag('router')),
      redis: async () => void (await redis.ping()),
    },
  });
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url }, 'listening');

  // Stop taking work (HTTP, then the consumer and timer workers, each finishing what it holds), then connections.
  closeOnSignal(logger, [
    { name: 'http', close: () => app.close() },
    { name: 'router', close: () => router.stop() },
    { name: 'bus', close: () => bus.close() },
    { name: 'redis', close: async () => void (await Promise.all([queueConnection.quit(), redis.quit()])) },
    { name: 'database', close: () => db.close() },
  ]);
}
