import { createBus } from '@polku/bus';
import { httpConsentDecider } from '@polku/consent-policy/client';
import { loadCatalogue } from '@polku/catalogue';
import { TOPICS } from '@polku/contracts';
import { openServiceDatabase } from '@polku/db';
import { startRelay } from '@polku/outbox';
import { openQueueRedis, watchForWipe } from '@polku/queues';
import { authOptions, closeOnSignal, createLogger, errorCode, kafkaSecurity, outboundTls, serverTls, startServiceTracing, useOutboundTls, type Logger } from '@polku/service-kit';
import { startProcessMetrics } from '@polku/telemetry';
import { buildApp } from './app';
import { loadRouterConfig, type RouterConfig } from './config';
import { loadRules } from './domain/load-rules';
import { startRouter } from './start-router';

// A bad setting stops the process here with CONFIG_INVALID listing every problem.
const config = loadRouterConfig();
const logger = createLogger({ service: 'router', level: config.LOG_LEVEL });
startProcessMetrics({ service: 'router' });
const tracing = await startServiceTracing(config, 'router', logger);

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
  // The timers' BullMQ queues are all the router keeps in Redis; one that evicts keys is refused.
  const queueConnection = await openQueueRedis({ url: config.REDIS_URL, logger });
  // No Redis for the bus: the router's projection drops redeliveries itself, in PostgreSQL.
  useOutboundTls(outboundTls(config));
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'router', logger, namespace: config.POLKU_NAMESPACE, security: kafkaSecurity(config) });
  // The router's events go through the outbox; one relay in the whole database publishes at a time.
  const relay = startRelay({ db, bus, logger: logger.child({ component: 'outbox-relay' }) });
  const timing = {
    followUpMonths: config.POLKU_FOLLOW_UP_MONTHS,
    slaOverrideMs: config.POLKU_SLA_OVERRIDE_MS,
    followUpOverrideMs: config.POLKU_FOLLOW_UP_OVERRIDE_MS,
  };
  if (timing.slaOverrideMs !== undefined || timing.followUpOverrideMs !== undefined) {
    logger.warn({ slaOverrideMs: timing.slaOverrideMs, followUpOverrideMs: timing.followUpOverrideMs }, 'timer overrides set: for tests and demos only');
  }
  const consent = httpConsentDecider({ baseUrl: config.POLKU_CONSENT_URL, apiKey: config.POLKU_CONSENT_KEY });
  const router = await startRouter({
    db, bus, queueConnection, catalogue, rules, logger, timing, consent, queuePrefix: config.POLKU_QUEUE_PREFIX,
    // The groups of the router that kept its memory in Redis: what they handled is replayed into the memory, not acted on again.
    adoptGroups: [{ groupId: 'router', topic: TOPICS.referral }, { groupId: 'router.consent', topic: TOPICS.consent }],
  });

  // A Redis emptied under us (FLUSHALL, a restart without persistence) gets every timer back from the memory.
  const wipes = watchForWipe({ redis: queueConnection, key: `${config.POLKU_QUEUE_PREFIX}:router:alive`, logger, onWiped: () => router.reconcileTimers() });

  const app = await buildApp({
    auth: authOptions(config, 'router'),
    logger,
    tls: serverTls(config),
    db,
    timers: router.timers,
    memory: router.memory,
    readiness: {
      postgres: async () => void (await db.query('SELECT 1')),
      kafka: () => bus.ping(),
      redis: async () => void (await queueConnection.ping()),
    },
  });
  const url = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url }, 'listening');

  // Stop taking work (HTTP, then the projection and timer workers, each finishing what it holds),
  // then the relay (its round in hand), then connections.
  closeOnSignal(logger, [
    { name: 'http', close: () => app.close() },
    { name: 'wipe watch', close: () => wipes.stop() },
    { name: 'router', close: () => router.stop() },
    { name: 'outbox-relay', close: () => relay.stop() },
    { name: 'bus', close: () => bus.close() },
    { name: 'redis', close: async () => void (await queueConnection.quit()) },
    { name: 'database', close: () => db.close() },
    { name: 'tracing', close: () => tracing.close() },
  ]);
}
