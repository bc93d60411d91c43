import { setting, settings, SettingProblem } from './config';
import { kafkaSecuritySettings } from './kafka-security';
import { outboundTlsSettings } from './outbound-tls';
import { serverTlsSettings } from './server-tls';

/** Settings every backbone process has, with the local development defaults. */
export const commonSettings = {
  ...kafkaSecuritySettings,
  ...serverTlsSettings,
  ...outboundTlsSettings,
  /** Comma-separated host:port list. @defaultValue the local broker, 127.0.0.1:19092 */
  KAFKA_BROKERS: settings.list('127.0.0.1:19092'),
  /** The Redis of the BullMQ queues: Polku's own (append-only file, no eviction). @defaultValue redis://127.0.0.1:6390 */
  REDIS_URL: settings.url('redis://127.0.0.1:6390'),
  /** The PostgreSQL database (`npm run infra:up` prints it). @defaultValue postgres://postgres@127.0.0.1:5432/polku */
  DATABASE_URL: settings.url('postgres://postgres@127.0.0.1:5432/polku'),
  /** Deadline of every database call, connecting included; past it the call fails as unavailable (503). @defaultValue 2000 */
  POLKU_DATABASE_TIMEOUT_MS: settings.integer(2000, { min: 50, max: 60_000 }),
  /**
   * Connections a process holds at most. A projection holds one per partition it handles at once,
   * for the length of the event's transaction. @defaultValue 15
   */
  POLKU_DATABASE_POOL_SIZE: settings.integer(15, { min: 2, max: 500 }),
  /**
   * Puts every Kafka topic and consumer group of this deployment under `<namespace>.`, so a
   * benchmark or a second deployment shares a broker without touching the real topics.
   * Lower-case letters, digits and dashes. @defaultValue none: the real topics
   */
  POLKU_NAMESPACE: setting((raw) => {
    if (raw === undefined || raw === '') return undefined;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(raw)) throw new SettingProblem('must be lower-case letters, digits and dashes');
    return raw;
  }),
  /**
   * Failed authentications (no key, a wrong, revoked or expired key, an invalid person assertion)
   * one client may make per minute, counted in REDIS_URL, before 429 TOO_MANY_AUTH_FAILURES.
   * @defaultValue 20
   */
  POLKU_AUTH_FAILURES_PER_MINUTE: settings.integer(20, { min: 1, max: 1_000_000 }),
  /**
   * The resident e-service this deployment trusts to vouch for a person (docs/keys.md), as JSON
   * `{ "issuer", "audience", "keys": <JWKS> }`. @defaultValue none: the service acts for no person
   */
  POLKU_RESIDENT_E_SERVICE: settings.personAssertionTrust(),
  /**
   * OpenTelemetry export: the base URL of an OTLP/HTTP receiver (a collector, Jaeger, Tempo);
   * spans of HTTP requests, consumed events, jobs and outbound deliveries go to `<url>/v1/traces`.
   * The SDK's own OTEL_EXPORTER_OTLP_HEADERS (e.g. a collector's key) applies. docs/tracing.md.
   * @defaultValue none: export is off (trace ids still travel, and every log line names its trace)
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: setting((raw) => {
    if (raw === undefined || raw === '') return undefined;
    if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) throw new SettingProblem('must be an http(s) URL');
    return raw;
  }),
  /** `service.name` of exported spans. @defaultValue the service's own name (referral-api, router, ...) */
  OTEL_SERVICE_NAME: settings.optionalString(),
  /** @defaultValue info */
  LOG_LEVEL: settings.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
};
