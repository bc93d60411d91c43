import { createBus } from '@polku/bus';
import { openServiceDatabase } from '@polku/db';
import { startRelay } from '@polku/outbox';
import { openQueueRedis, watchForWipe } from '@polku/queues';
import { closeOnSignal, createLogger, errorCode, kafkaSecurity, outboundTls, startServiceTracing, useOutboundTls } from '@polku/service-kit';
import { startProcessMetrics } from '@polku/telemetry';
import { loadHostConfig } from './config';
import { startAdapterHost } from './host';

const { config, adapters } = loadHostConfig(process.env);
const logger = createLogger({ service: 'adapter-host', level: config.LOG_LEVEL });
startProcessMetrics({ service: 'adapter-host' });
const tracing = await startServiceTracing(config, 'adapter-host', logger);

try {
  const db = await openServiceDatabase(config, 'adapter-host', logger);
  // Checked before use: a Redis that evicts keys would drop queued deliveries.
  const redis = await openQueueRedis({ url: config.REDIS_URL, logger });
  useOutboundTls(outboundTls(config));
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'adapter-host', logger, namespace: config.POLKU_NAMESPACE, security: kafkaSecurity(config) });
  const host = await startAdapterHost({ config, adapters, logger, bus, db, redis });
  // A Redis emptied under us (FLUSHALL, a restart without persistence) gets every queued delivery back from the tables.
  const wipes = watchForWipe({ redis, key: `${config.POLKU_QUEUE_PREFIX}:adapter-host:alive`, logger, onWiped: () => host.reconcile() });
  // Delivery outcomes and callbacks are written to the outbox; whichever process leads publishes them.
  const relay = startRelay({ db, bus, logger: logger.child({ component: 'outbox-relay' }) });
  await host.app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, adapters: adapters.map((a) => a.id) }, 'listening');
  closeOnSignal(logger, [
    { name: 'wipe watch', close: () => wipes.stop() },
    ...host.closeables,
    { name: 'outbox relay', close: () => relay.stop() },
    { name: 'bus', close: () => bus.close() },
    { name: 'redis', close: async () => void (await redis.quit()) },
    { name: 'database', close: () => db.close() },
    { name: 'tracing', close: () => tracing.close() },
  ]);
} catch (error) {
  logger.fatal({ err: error, code: errorCode(error) }, 'adapter-host failed to start');
  process.exit(1);
}
