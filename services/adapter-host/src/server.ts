import { createBus } from '@polku/bus';
import { closeOnSignal, createLogger } from '@polku/service-kit';
import { Redis } from 'ioredis';
import { loadHostConfig } from './config';
import { startAdapterHost } from './host';

const { config, adapters } = loadHostConfig(process.env);
const logger = createLogger({ service: 'adapter-host', level: config.LOG_LEVEL });
const redis = new Redis(config.REDIS_URL);
const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: 'adapter-host', logger, redis, namespace: config.POLKU_NAMESPACE });
const host = await startAdapterHost({ config, adapters, logger, bus, redis });
await host.app.listen({ host: config.HOST, port: config.PORT });
logger.info({ url: `http://${config.HOST}:${config.PORT}`, adapters: adapters.map((a) => a.id) }, 'listening');
closeOnSignal(logger, host.closeables);
