import { createBus } from '@polku/bus';
import { openServiceDatabase } from '@polku/db';
import { openQueueRedis } from '@polku/queues';
import { authOptions, closeOnSignal, createLogger, errorCode, kafkaSecurity, outboundTls, serverTls, useOutboundTls, type Logger } from '@polku/service-kit';
import { startAlertEvaluator } from './alerts/alert-evaluator';
import { buildApp } from './app';
import { alertSettings, loadConsoleConfig, polledServices, type ConsoleConfig } from './config';
import { readLag } from './ops/lag';
import { backboneQueues } from './ops/queues';
import { startConsoleProjection } from './projection/console-projection';
import { traceReader } from './trace/trace-reader';

// A bad setting stops the process here with CONFIG_INVALID listing every problem.
const config = loadConsoleConfig();
const logger = createLogger({ service: 'console', level: config.LOG_LEVEL });

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
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'console', logger, namespace: config.POLKU_NAMESPACE, security: kafkaSecurity(config) });
  const queues = backboneQueues(queueConnection, config.POLKU_QUEUE_PREFIX);
  const projection = await startConsoleProjection({ db, bus, logger });
  const alerts = startAlertEvaluator({ db, bus, logger: logger.child({ component: 'alerts' }), settings: alertSettings(config), services: polledServices(config), intervalMs: config.POLKU_ALERT_INTERVAL_MS });

  const app = await buildApp({
    auth: authOptions(config, 'console'),
    logger,
    tls: serverTls(config),
    db,
    traces: traceReader(db, queues.deliveries),
    lag: () => readLag(bus, db),
    queues: () => queues.read(),
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
    { name: 'alerts', close: () => alerts.stop() },
    { name: 'projection', close: () => projection.stop() },
    { name: 'queues', close: () => queues.close() },
    { name: 'bus', close: () => bus.close() },
    { name: 'redis', close: async () => void (await queueConnection.quit()) },
    { name: 'database', close: () => db.close() },
  ]);
}
