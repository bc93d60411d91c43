import { Redis } from 'ioredis';
import { createBus } from '@polku/bus';
import { loadCatalogue } from '@polku/catalogue';
import { openServiceDatabase } from '@polku/db';
import { startRelay } from '@polku/outbox';
import { closeOnSignal, createLogger } from '@polku/service-kit';
import { buildApp } from './app';
import { loadConsentConfig } from './config';
import { startConsent } from './start-consent';

const config = loadConsentConfig(process.env);
const logger = createLogger({ service: 'consent', level: config.LOG_LEVEL });
const catalogue = await loadCatalogue(config.POLKU_CATALOGUE_FILE);

const db = await openServiceDatabase(config, 'consent', logger);
const redis = new Redis(config.REDIS_URL);
// BullMQ workers block on Redis and need a connection that never gives up on a command.
const queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'consent', logger, redis, namespace: config.POLKU_NAMESPACE });

// Resolves only once the projection has replayed the whole consent topic: nothing listens before.
const consent = await startConsent({ bus, db, redis, queueConnection, logger, redisPrefix: config.POLKU_REDIS_PREFIX, queuePrefix: config.POLKU_QUEUE_PREFIX });

const publicUrl = config.POLKU_PUBLIC_URL.replace(/\/$/, '');
// Consent changes go through the same outbox as intake; whichever instance leads publishes them.
const relay = startRelay({ db, bus, logger: logger.child({ component: 'outbox-relay' }) });
const app = await buildApp({
  logger,
  db,
  ledger: consent.ledger,
  store: consent.store,
  catalogue,
  pseudonymKey: config.POLKU_PSEUDONYM_KEY,
  publicUrl,
  policyUrl: config.POLKU_POLICY_URL ?? `${publicUrl}/docs`,
  now: () => new Date(),
  readiness: {
    postgres: async () => void (await db.query('SELECT 1')),
    kafka: async () => void (await bus.lag('consent-readiness-probe')),
    redis: async () => void (await redis.ping()),
  },
});
const url = await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ url }, 'listening');

closeOnSignal(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'consent', close: () => consent.stop() },
  { name: 'outbox relay', close: () => relay.stop() },
  { name: 'bus', close: () => bus.close() },
  { name: 'redis', close: async () => void (await Promise.all([queueConnection.quit(), redis.quit()])) },
  { name: 'database', close: () => db.close() },
]);
