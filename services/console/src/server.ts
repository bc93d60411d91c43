import { createBus, createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { openServiceDatabase } from '@polku/db';
import { openQueueRedis } from '@polku/queues';
import { startProcessMetrics } from '@polku/telemetry';
import { authOptions, closeOnSignal, createLogger, errorCode, kafkaSecurity, outboundTls, serverTls, startServiceTracing, useOutboundTls, type Logger } from '@polku/service-kit';
import { startAlertEvaluator } from './alerts/alert-evaluator';
import { startAuditProjection } from './audit/audit-projection';
import { buildApp } from './app';
import { createOperatorAudit, MAX_REPLAYS, startBulkRunner, startDeadLetterRegister } from './dead-letters';
import { alertSettings, loadConsoleConfig, polledServices, signInSettings, type ConsoleConfig } from './config';
import { sqlSessionStore } from './web/session-store';
import { openSignIn } from './web/sign-in';
import { readLag } from './ops/lag';
import { backboneQueues } from './ops/queues';
import { startConsoleProjection } from './projection/console-projection';
import { traceReader } from './trace/trace-reader';

// A bad setting stops the process here with CONFIG_INVALID listing every problem.
const config = loadConsoleConfig();
const logger = createLogger({ service: 'console', level: config.LOG_LEVEL });
startProcessMetrics({ service: 'console' });
const tracing = await startServiceTracing(config, 'console', logger);

try {
  await main(config, logger);
} catch (error) {
  logger.fatal({ err: error, code: errorCode(error) }, 'console failed to start');
  process.exit(1);
}

async function main(config: ConsoleConfig, logger: Logger): Promise<void> {
  const db = await openServiceDatabase(config, 'console', logger);
  // The console only reads the backbone's queues; it adds and runs no job of its own.
  const queueConnection = await openQueueRedis({ url: config.REDIS_URL, logger });
  // The readiness polls reach services that may serve HTTPS (POLKU_OUTBOUND_* trusts their CA).
  useOutboundTls(outboundTls(config));
  // One transport for the bus and for the dead-letter register and replays, which read and write records raw.
  const kafka = createKafkajsTransport({ brokers: config.KAFKA_BROKERS, clientId: 'console', logger, security: kafkaSecurity(config) });
  const transport = config.POLKU_NAMESPACE ? namespacedTransport(kafka, config.POLKU_NAMESPACE) : kafka;
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'console', logger, transport });
  const queues = backboneQueues(queueConnection, config.POLKU_QUEUE_PREFIX);
  const projection = await startConsoleProjection({ db, bus, logger });
  const auditProjection = await startAuditProjection({ db, bus, logger });
  const alerts = startAlertEvaluator({ db, bus, logger: logger.child({ component: 'alerts' }), settings: alertSettings(config), services: polledServices(config), intervalMs: config.POLKU_ALERT_INTERVAL_MS });

  const admin = await bus.admin();
  const audit = createOperatorAudit({ bus, logger, service: 'console' });
  const producer = transport.producer();
  await producer.connect();
  const replayer = { producer, admin, maxReplays: MAX_REPLAYS };
  const register = await startDeadLetterRegister({ db, transport, admin, logger, maxReplays: MAX_REPLAYS });
  // The register reads raw, outside bus.consume: its lag is reported like the sealer's.
  const unwatchRegisterLag = register.topics.length > 0 ? bus.watchLag('console.dead-letters', [...register.topics]) : () => {};
  const bulkRunner = startBulkRunner({ db, replayer, audit, logger });

  const signIn = signInSettings(config);
  const app = await buildApp({
    auth: authOptions(config, 'console'),
    logger,
    tls: serverTls(config),
    db,
    traces: traceReader(db, queues.deliveries),
    lag: () => readLag(bus, db),
    queues: () => queues.read(),
    deadLetters: { db, audit, replayer, defaultRatePerSecond: config.POLKU_BULK_REPLAY_RATE },
    pages: {
      sessions: sqlSessionStore(db, { idleMinutes: config.POLKU_CONSOLE_SESSION_IDLE_MINUTES, absoluteHours: config.POLKU_CONSOLE_SESSION_HOURS }),
      signIn: signIn && openSignIn(signIn),
      identityProviderOrigin: signIn && new URL(signIn.issuer).origin,
      publicUrl: config.POLKU_CONSOLE_PUBLIC_URL,
      auditIdentity: { organisationId: config.POLKU_CONSOLE_ORGANISATION_ID, systemId: config.POLKU_CONSOLE_SYSTEM_ID },
      services: polledServices(config),
      overviewIntervalMs: config.POLKU_CONSOLE_OVERVIEW_INTERVAL_MS,
    },
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
    { name: 'bulk replays', close: () => bulkRunner.stop() },
    { name: 'alerts', close: () => alerts.stop() },
    { name: 'dead-letter register', close: async () => { unwatchRegisterLag(); await register.stop(); } },
    { name: 'projection', close: () => projection.stop() },
    { name: 'audit projection', close: () => auditProjection.stop() },
    { name: 'queues', close: () => queues.close() },
    { name: 'replay producer', close: () => producer.disconnect() },
    { name: 'bus', close: () => bus.close() },
    { name: 'redis', close: async () => void (await queueConnection.quit()) },
    { name: 'database', close: () => db.close() },
    { name: 'tracing', close: () => tracing.close() },
  ]);
}
