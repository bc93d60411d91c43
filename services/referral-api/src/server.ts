import { Redis } from 'ioredis';
import { createBus } from '@polku/bus';
import { loadCatalogue } from '@polku/catalogue';
import { httpConsentDecider } from '@polku/consent-policy/client';
import { closeOnSignal, createLogger } from '@polku/service-kit';
import { buildApp } from './app';
import { loadReferralApiConfig } from './config';
import { startDisclosureProjection } from './disclosure/disclosure-projection';
import { redisDisclosureStore } from './disclosure/disclosure-store';
import { startStatusProjection } from './status/status-projection';
import { redisStatusStore } from './status/status-store';

const SERVICE = 'referral-api';

const config = loadReferralApiConfig();
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const catalogue = await loadCatalogue(config.POLKU_CATALOGUE_FILE);
const redis = new Redis(config.REDIS_URL);
const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: SERVICE, logger, redis , namespace: config.POLKU_NAMESPACE });
const statusStore = redisStatusStore(redis);

const app = await buildApp({
  logger, redis, bus, catalogue, statusStore,
  vaultKey: config.POLKU_VAULT_KEY,
  pseudonymKey: config.POLKU_PSEUDONYM_KEY,
  publicUrl: config.POLKU_PUBLIC_URL,
  consent: httpConsentDecider({ baseUrl: config.POLKU_CONSENT_URL, apiKey: config.POLKU_CONSENT_KEY }),
});
const projection = await startStatusProjection(bus, statusStore);
const disclosures = await startDisclosureProjection(bus, redisDisclosureStore(redis));
await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'listening');

closeOnSignal(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'status projection', close: () => projection.stop() },
  { name: 'disclosure projection', close: () => disclosures.stop() },
  { name: 'bus', close: () => bus.close() },
  { name: 'redis', close: async () => void (await redis.quit()) },
]);
