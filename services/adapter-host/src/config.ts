import type { AdapterModule, SectorAdapter } from '@polku/adapter-kit';
import { commonSettings, loadConfig, PolkuError, settings } from '@polku/service-kit';
import { ADAPTERS } from './adapters';

export const hostSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8082 */
  PORT: settings.port(8082),
  /** Where sector systems reach this host; deliveries carry `<this>/v1/adapters/<id>/callbacks`. @defaultValue http://127.0.0.1:8082 */
  POLKU_PUBLIC_URL: settings.url('http://127.0.0.1:8082'),
  /** Attempts per delivery, the first included. @defaultValue 8 */
  POLKU_DELIVERY_ATTEMPTS: settings.integer(8, { min: 1, max: 50 }),
  /** Base of the exponential backoff between attempts (full jitter). @defaultValue 1000 */
  POLKU_DELIVERY_BACKOFF_MS: settings.integer(1000, { min: 1 }),
  /** Longest wait between attempts, Retry-After included. @defaultValue 3600000 (1 h) */
  POLKU_DELIVERY_BACKOFF_MAX_MS: settings.integer(3_600_000, { min: 1 }),
  /** Prefix of the BullMQ keys in Redis (the host keeps no other state there). @defaultValue polku */
  POLKU_QUEUE_PREFIX: settings.string('polku'),
  /** The consent service, asked before queueing and before every delivery attempt. @defaultValue http://127.0.0.1:8083 */
  POLKU_CONSENT_URL: settings.url('http://127.0.0.1:8083'),
  /** This host's key at the consent service (role `backbone`). Required. */
  POLKU_CONSENT_KEY: settings.string(),
  /** The referral API, where adapters fetch details (claim check). @defaultValue http://127.0.0.1:8080 */
  POLKU_REFERRAL_API_URL: settings.url('http://127.0.0.1:8080'),
  /**
   * This host's own Ed25519 key, `<key id>:<base64 of PKCS#8 DER>`: every disclosure-log entry it
   * writes for a delivery is signed with it (docs/disclosure-log.md). Required; the launcher makes one.
   */
  POLKU_DISCLOSURE_SIGNING_KEY: settings.signingKey(),
};

export type HostConfig = ReturnType<typeof loadHostConfig>['config'];

/**
 * The host's settings and every registered adapter's, checked in one go so a missing
 * adapter secret is reported together with everything else. The only reader of process.env.
 */
export function loadHostConfig(env: Record<string, string | undefined> = process.env, modules: readonly AdapterModule[] = ADAPTERS) {
  const adapterSettings = Object.assign({}, ...modules.map((module) => module.settings)) as AdapterModule['settings'];
  const values = loadConfig({ ...adapterSettings, ...hostSettings }, env);
  // Every adapter is bound, and every adapter's problems (e.g. a served organisation without a key) reported together.
  const problems: string[] = [];
  const adapters: SectorAdapter[] = modules.flatMap((module) => {
    try {
      return [module.bind(values)];
    } catch (error) {
      if (!(error instanceof PolkuError) || error.code !== 'CONFIG_INVALID') throw error;
      problems.push(error.message.replace(/^invalid configuration: /, ''));
      return [];
    }
  });
  if (problems.length > 0) throw new PolkuError('CONFIG_INVALID', `invalid configuration: ${problems.join('; ')}`);
  const { KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, POLKU_TLS_CERT_FILE, POLKU_TLS_KEY_FILE, POLKU_TLS_CLIENT_CA_FILE, POLKU_OUTBOUND_CA_FILE, POLKU_OUTBOUND_CERT_FILE, POLKU_OUTBOUND_KEY_FILE, POLKU_DATABASE_POOL_SIZE, KAFKA_BROKERS, REDIS_URL, DATABASE_URL, POLKU_DATABASE_TIMEOUT_MS, POLKU_NAMESPACE, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, HOST, PORT, POLKU_PUBLIC_URL, POLKU_DELIVERY_ATTEMPTS, POLKU_DELIVERY_BACKOFF_MS, POLKU_DELIVERY_BACKOFF_MAX_MS, POLKU_QUEUE_PREFIX, POLKU_CONSENT_URL, POLKU_CONSENT_KEY, POLKU_REFERRAL_API_URL, POLKU_DISCLOSURE_SIGNING_KEY } = values;
  const config = Object.freeze({ KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, POLKU_TLS_CERT_FILE, POLKU_TLS_KEY_FILE, POLKU_TLS_CLIENT_CA_FILE, POLKU_OUTBOUND_CA_FILE, POLKU_OUTBOUND_CERT_FILE, POLKU_OUTBOUND_KEY_FILE, POLKU_DATABASE_POOL_SIZE, KAFKA_BROKERS, REDIS_URL, DATABASE_URL, POLKU_DATABASE_TIMEOUT_MS, POLKU_NAMESPACE, LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, HOST, PORT, POLKU_PUBLIC_URL, POLKU_DELIVERY_ATTEMPTS, POLKU_DELIVERY_BACKOFF_MS, POLKU_DELIVERY_BACKOFF_MAX_MS, POLKU_QUEUE_PREFIX, POLKU_CONSENT_URL, POLKU_CONSENT_KEY, POLKU_REFERRAL_API_URL, POLKU_DISCLOSURE_SIGNING_KEY });
  return { config, adapters };
}
