import { createBus } from '@polku/bus';
import { loadCatalogue } from '@polku/catalogue';
import { openServiceDatabase } from '@polku/db';
import { startRelay } from '@polku/outbox';
import { openQueueRedis, watchForWipe } from '@polku/queues';
import { TOPICS } from '@polku/contracts';
import { disclosureLog } from '@polku/disclosure-log';
import { authOptions, closeOnSignal, createLogger, kafkaSecurity, outboundTls, serverTls, startServiceTracing, useOutboundTls } from '@polku/service-kit';
import { startProcessMetrics } from '@polku/telemetry';
import { buildApp } from './app';
import { loadConsentConfig } from './config';
import { startReferralRoutesProjection } from './projection/referral-routes';
import { startConsent } from './start-consent';

const config = loadConsentConfig(process.env);
const logger = createLogger({ service: 'consent', level: config.LOG_LEVEL });
startProcessMetrics({ service: 'consent' });
const tracing = await startServiceTracing(config, 'consent', logger);
const catalogue = await loadCatalogue(config.POLKU_CATALOGUE_FILE);

const db = await openServiceDatabase(config, 'consent', logger);
// BullMQ (the expiry timers) is all this service keeps in Redis.
const queueConnection = await openQueueRedis({ url: config.REDIS_URL, logger });
useOutboundTls(outboundTls(config));
const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'consent', logger, namespace: config.POLKU_NAMESPACE, security: kafkaSecurity(config) });

// Resolves once the projection has caught up with the topic (a new or restored database replays it first): nothing listens before.
const consent = await startConsent({ bus, db, queueConnection, logger, queuePrefix: config.POLKU_QUEUE_PREFIX });

// A Redis emptied under us (FLUSHALL, a restart without persistence) gets every expiry timer back from the records.
const wipes = watchForWipe({ redis: queueConnection, key: `${config.POLKU_QUEUE_PREFIX}:consent:alive`, logger, onWiped: () => consent.reconcile() });

// Which services each subject's referrals were routed to: whether a professional may look up consents.
// Not awaited to catch up: until it has, a professional's lookup is refused, never wrongly allowed.
const referralRoutes = await startReferralRoutesProjection({ db, bus, topic: TOPICS.referral, logger: logger.child({ component: 'referral-routes' }) });

const publicUrl = config.POLKU_PUBLIC_URL.replace(/\/$/, '');
// Consent changes go through the same outbox as intake; whichever instance leads publishes them.
const relay = startRelay({ db, bus, logger: logger.child({ component: 'outbox-relay' }) });
const app = await buildApp({
  auth: authOptions(config, 'consent'),
  logger,
  tls: serverTls(config),
  db,
  ledger: consent.ledger,
  store: consent.store,
  catalogue,
  pseudonymKey: config.POLKU_PSEUDONYM_KEY,
  publicUrl,
  policyUrl: config.POLKU_POLICY_URL ?? `${publicUrl}/docs`,
  now: () => new Date(),
  disclosureLog: disclosureLog({ topic: TOPICS.disclosure, writer: 'consent', signingKey: config.POLKU_DISCLOSURE_SIGNING_KEY }),
  referralRoutes: true,
  readiness: {
    postgres: async () => void (await db.query('SELECT 1')),
    kafka: () => bus.ping(),
    redis: async () => void (await queueConnection.ping()),
  },
});
const url = await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ url }, 'listening');

closeOnSignal(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'wipe watch', close: () => wipes.stop() },
  { name: 'consent', close: () => consent.stop() },
  { name: 'referral routes', close: () => referralRoutes.stop() },
  { name: 'outbox relay', close: () => relay.stop() },
  { name: 'bus', close: () => bus.close() },
  { name: 'redis', close: async () => void (await queueConnection.quit()) },
  { name: 'database', close: () => db.close() },
  { name: 'tracing', close: () => tracing.close() },
]);
