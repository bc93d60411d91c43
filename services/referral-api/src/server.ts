import { createBus } from '@polku/bus';
import { loadCatalogue } from '@polku/catalogue';
import { httpConsentDecider } from '@polku/consent-policy/client';
import { openServiceDatabase } from '@polku/db';
import { startRelay } from '@polku/outbox';
import { sqlVault } from '@polku/personal-data';
import { authOptions, closeOnSignal, createLogger, kafkaSecurity, outboundTls, serverTls, startServiceTracing, useOutboundTls } from '@polku/service-kit';
import { startProcessMetrics } from '@polku/telemetry';
import { httpConsentReader } from './routes/me/consent-reader';
import { buildApp } from './app';
import { loadReferralApiConfig } from './config';
import { startDisclosureProjection } from './disclosure/disclosure-projection';
import { startStatusProjection } from './status/status-projection';
import { startVaultJanitor } from './vault-janitor';

const SERVICE = 'referral-api';

const config = loadReferralApiConfig();
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
startProcessMetrics({ service: SERVICE });
const tracing = await startServiceTracing(config, SERVICE, logger);
const catalogue = await loadCatalogue(config.POLKU_CATALOGUE_FILE);
const db = await openServiceDatabase(config, SERVICE, logger);
const vault = sqlVault(db, config.POLKU_VAULT_KEYS);
// One way for every process: outbound HTTPS trusts POLKU_OUTBOUND_CA_FILE and presents its client certificate.
useOutboundTls(outboundTls(config));
const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: SERVICE, logger, namespace: config.POLKU_NAMESPACE, security: kafkaSecurity(config) });

const crashAfterCommit = config.POLKU_FAULT_CRASH_AFTER_INTAKE_COMMIT === '1';
if (crashAfterCommit) logger.warn('POLKU_FAULT_CRASH_AFTER_INTAKE_COMMIT is on: this process dies after the first intake commit (crash tests only)');
const app = await buildApp({
  auth: authOptions(config, 'referral-api'),
  logger, db, vault, bus, catalogue,
  tls: serverTls(config),
  ...(crashAfterCommit ? { afterIntakeCommit: () => process.kill(process.pid, 'SIGKILL') } : {}),
  pseudonymKey: config.POLKU_PSEUDONYM_KEY,
  publicUrl: config.POLKU_PUBLIC_URL,
  consent: httpConsentDecider({ baseUrl: config.POLKU_CONSENT_URL, apiKey: config.POLKU_CONSENT_KEY }),
  disclosureSigningKey: config.POLKU_DISCLOSURE_SIGNING_KEY,
  consentReader: httpConsentReader({ baseUrl: config.POLKU_CONSENT_URL }),
});
// The outbox's relay (intake and the disclosure log): one instance of all publishes, the others stand by.
const relay = startRelay({ db, bus, logger: logger.child({ component: 'outbox-relay' }) });
const projection = await startStatusProjection({ db, bus, logger, erasure: { vault, afterMs: config.POLKU_VAULT_ERASE_AFTER_MS } });
const disclosures = await startDisclosureProjection({ db, bus, logger });
const janitor = startVaultJanitor({ db, vault, intervalMs: config.POLKU_VAULT_ERASE_INTERVAL_MS, logger, retention: { disclosureLogMs: config.POLKU_DISCLOSURE_RETENTION_MS } });
await app.listen({ host: config.HOST, port: config.PORT });
logger.info({ url: `http://${config.HOST}:${config.PORT}`, vaultKey: config.POLKU_VAULT_KEYS.current.id, disclosureSigningKey: config.POLKU_DISCLOSURE_SIGNING_KEY.keyId }, 'listening');

closeOnSignal(logger, [
  { name: 'http', close: () => app.close() },
  { name: 'status projection', close: () => projection.stop() },
  { name: 'disclosure projection', close: () => disclosures.stop() },
  { name: 'outbox relay', close: () => relay.stop() },
  { name: 'vault janitor', close: () => janitor.stop() },
  { name: 'bus', close: () => bus.close() },
  { name: 'database', close: () => db.close() },
  { name: 'tracing', close: () => tracing.close() },
]);
