import { createBus, createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { TOPICS } from '@polku/contracts';
import { openServiceDatabase } from '@polku/db';
import { closeOnSignal, createLogger, errorCode, kafkaSecurity, serverTls, startServiceTracing, type Logger } from '@polku/service-kit';
import { startProcessMetrics } from '@polku/telemetry';
import { buildApp } from './app';
import { startCheckpointer } from './checkpointer';
import { loadSealerConfig, type SealerConfig } from './config';
import { startSealer } from './sealer';

const SERVICE = 'disclosure-sealer';

// A bad setting stops the process here with CONFIG_INVALID listing every problem.
const config = loadSealerConfig();
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
startProcessMetrics({ service: SERVICE });
const tracing = await startServiceTracing(config, SERVICE, logger);

try {
  await main(config, logger);
} catch (error) {
  logger.fatal({ err: error, code: errorCode(error) }, 'disclosure sealer failed to start');
  process.exit(1);
}

async function main(config: SealerConfig, logger: Logger): Promise<void> {
  const db = await openServiceDatabase(config, SERVICE, logger);
  // One transport for the bus (checkpoints, readiness) and for the sealer, which reads records raw.
  const kafka = createKafkajsTransport({ brokers: config.KAFKA_BROKERS, clientId: SERVICE, logger, security: kafkaSecurity(config) });
  const transport = config.POLKU_NAMESPACE ? namespacedTransport(kafka, config.POLKU_NAMESPACE) : kafka;
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: SERVICE, logger, transport });
  const sealer = await startSealer({ db, transport, logger, keyring: config.POLKU_DISCLOSURE_PUBLIC_KEYS, logTopic: TOPICS.disclosure });
  // The sealer reads raw, outside bus.consume: its lag is put on /metrics here.
  bus.watchLag(sealer.groupId, [TOPICS.disclosure]);
  const checkpointer = startCheckpointer({
    db, bus, logger, signingKey: config.POLKU_DISCLOSURE_SIGNING_KEY, logTopic: TOPICS.disclosure, checkpointTopic: TOPICS.disclosureCheckpoint,
    intervalMs: config.POLKU_SEAL_CHECKPOINT_INTERVAL_MS, maxEntries: config.POLKU_SEAL_CHECKPOINT_MAX_ENTRIES,
  });
  const app = await buildApp({
    logger,
    tls: serverTls(config),
    readiness: {
      postgres: async () => void (await db.query('SELECT 1')),
      kafka: () => bus.ping(),
    },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ url: `http://${config.HOST}:${config.PORT}`, group: sealer.groupId, signingKey: config.POLKU_DISCLOSURE_SIGNING_KEY.keyId, writerKeys: [...config.POLKU_DISCLOSURE_PUBLIC_KEYS.keys()] }, 'listening');

  closeOnSignal(logger, [
    { name: 'http', close: () => app.close() },
    { name: 'sealer', close: () => sealer.stop() },
    // After the sealer: what it sealed last still gets its checkpoint.
    { name: 'checkpointer', close: async () => { await checkpointer.checkpointNow().catch(() => 0); await checkpointer.stop(); } },
    { name: 'bus', close: () => bus.close() },
    { name: 'database', close: () => db.close() },
    { name: 'tracing', close: () => tracing.close() },
  ]);
}
