import { checked, commonSettings, loadConfig, settings } from '@polku/service-kit';
import type { AlertSettings } from './alerts/alert-settings';
import type { SignInSettings } from './web/sign-in';

/** Everything the console reads from its environment; see README.md for the table. */
export const consoleSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8084 */
  PORT: settings.port(8084),
  /** Prefix of the backbone's BullMQ keys in Redis (the services' own setting). @defaultValue polku */
  POLKU_QUEUE_PREFIX: settings.string('polku'),
  /** Polled for readiness (`/health/ready`) by the service-not-ready alert. @defaultValue http://127.0.0.1:8080 */
  POLKU_REFERRAL_API_URL: settings.url('http://127.0.0.1:8080'),
  /** @defaultValue http://127.0.0.1:8081 */
  POLKU_ROUTER_URL: settings.url('http://127.0.0.1:8081'),
  /** @defaultValue http://127.0.0.1:8082 */
  POLKU_ADAPTER_HOST_URL: settings.url('http://127.0.0.1:8082'),
  /** @defaultValue http://127.0.0.1:8083 */
  POLKU_CONSENT_URL: settings.url('http://127.0.0.1:8083'),
  /** @defaultValue http://127.0.0.1:8086 */
  POLKU_DISCLOSURE_SEALER_URL: settings.url('http://127.0.0.1:8086'),
  /** Records per second of a bulk replay that does not name its own rate (at most 200). @defaultValue 10 */
  POLKU_BULK_REPLAY_RATE: settings.integer(10, { min: 1, max: 200 }),
  /** How often the alerts are evaluated. @defaultValue 15000 */
  POLKU_ALERT_INTERVAL_MS: settings.integer(15_000, { min: 100, max: 3_600_000 }),
  /** A consumer group's total lag above this… @defaultValue 1000 */
  POLKU_ALERT_LAG_RECORDS: settings.integer(1000, { min: 0 }),
  /** …for this many minutes fires `consumer-lag`. @defaultValue 5 */
  POLKU_ALERT_LAG_MINUTES: settings.integer(5, { min: 0, max: 1440 }),
  /** A dead-letter topic is `growing` until this many minutes pass without a new record. @defaultValue 15 */
  POLKU_ALERT_DLQ_QUIET_MINUTES: settings.integer(15, { min: 1, max: 10_080 }),
  /** SLA breaches of this many last minutes fire `sla-breached`. @defaultValue 60 */
  POLKU_ALERT_SLA_WINDOW_MINUTES: settings.integer(60, { min: 1, max: 10_080 }),
  /** Failed deliveries per hundred outcomes that fire `delivery-failure-rate`. @defaultValue 20 */
  POLKU_ALERT_DELIVERY_FAILURE_PERCENT: settings.integer(20, { min: 1, max: 100 }),
  /** Outcomes the window must hold before the rate counts. @defaultValue 5 */
  POLKU_ALERT_DELIVERY_MIN_OUTCOMES: settings.integer(5, { min: 1 }),
  /** @defaultValue 60 */
  POLKU_ALERT_DELIVERY_WINDOW_MINUTES: settings.integer(60, { min: 1, max: 10_080 }),
  /** Minutes a service may be not ready before `service-not-ready` fires. @defaultValue 1 */
  POLKU_ALERT_NOT_READY_MINUTES: settings.integer(1, { min: 0, max: 1440 }),
  /** Unsent outbox rows that fire `outbox-backlog`… @defaultValue 1000 */
  POLKU_ALERT_OUTBOX_ROWS: settings.integer(1000, { min: 1 }),
  /** …or the oldest unsent row's age in seconds. @defaultValue 60 */
  POLKU_ALERT_OUTBOX_AGE_SECONDS: settings.integer(60, { min: 1 }),
  /** The organisation's OpenID Connect provider for the console's pages (`/ui/`); without it they say sign-in is not configured. @defaultValue none */
  POLKU_CONSOLE_OIDC_ISSUER: checked(settings.optionalString(), (values) =>
    values['POLKU_CONSOLE_OIDC_ISSUER'] && !values['POLKU_CONSOLE_OIDC_CLIENT_SECRET'] ? 'needs POLKU_CONSOLE_OIDC_CLIENT_SECRET too' : undefined),
  /** @defaultValue polku-console */
  POLKU_CONSOLE_OIDC_CLIENT_ID: settings.string('polku-console'),
  /** @defaultValue none */
  POLKU_CONSOLE_OIDC_CLIENT_SECRET: settings.optionalString(),
  /** Plain HTTP to the provider: only for the stand-in on 127.0.0.1 in tests and the demo. @defaultValue false */
  POLKU_CONSOLE_OIDC_ALLOW_HTTP: settings.boolean(false),
  /** The console as a browser reaches it; the provider sends people back to `<this>/ui/callback`. @defaultValue http://127.0.0.1:8084 */
  POLKU_CONSOLE_PUBLIC_URL: settings.url('http://127.0.0.1:8084'),
  /** `acr` values that mean a multi-factor sign-in (an `amr` naming `mfa` counts as well). @defaultValue none */
  POLKU_CONSOLE_MFA_ACR: settings.list(''),
  /** Directory groups whose members are operators. @defaultValue polku-operators */
  POLKU_CONSOLE_OPERATOR_GROUPS: settings.list('polku-operators'),
  /** …and auditors. @defaultValue polku-auditors */
  POLKU_CONSOLE_AUDITOR_GROUPS: settings.list('polku-auditors'),
  /** A session unused this long ends. @defaultValue 30 */
  POLKU_CONSOLE_SESSION_IDLE_MINUTES: settings.integer(30, { min: 1, max: 1440 }),
  /** A session ends this long after sign-in. @defaultValue 12 */
  POLKU_CONSOLE_SESSION_HOURS: settings.integer(12, { min: 1, max: 24 }),
  /** The organisation the audit names for an action taken on the pages, beside the person's subject. @defaultValue polku-operations */
  POLKU_CONSOLE_ORGANISATION_ID: settings.string('polku-operations'),
  /** …and the system. @defaultValue console-pages */
  POLKU_CONSOLE_SYSTEM_ID: settings.string('console-pages'),
  /** How often an open overview gets its figures again. @defaultValue 5000 */
  POLKU_CONSOLE_OVERVIEW_INTERVAL_MS: settings.integer(5000, { min: 500, max: 60_000 }),
};

export type ConsoleConfig = ReturnType<typeof loadConsoleConfig>;

/** The only read of `process.env` in the console; tests pass their own environment. */
export function loadConsoleConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(consoleSettings, env);
}

/** The services whose readiness the console polls, by name. */
export function polledServices(config: ConsoleConfig): Record<string, string> {
  return {
    'referral-api': config.POLKU_REFERRAL_API_URL,
    router: config.POLKU_ROUTER_URL,
    'adapter-host': config.POLKU_ADAPTER_HOST_URL,
    consent: config.POLKU_CONSENT_URL,
    'disclosure-sealer': config.POLKU_DISCLOSURE_SEALER_URL,
  };
}

export function alertSettings(config: ConsoleConfig): AlertSettings {
  return {
    lagRecords: config.POLKU_ALERT_LAG_RECORDS,
    lagMinutes: config.POLKU_ALERT_LAG_MINUTES,
    deadLetterQuietMinutes: config.POLKU_ALERT_DLQ_QUIET_MINUTES,
    slaWindowMinutes: config.POLKU_ALERT_SLA_WINDOW_MINUTES,
    deliveryFailurePercent: config.POLKU_ALERT_DELIVERY_FAILURE_PERCENT,
    deliveryMinOutcomes: config.POLKU_ALERT_DELIVERY_MIN_OUTCOMES,
    deliveryWindowMinutes: config.POLKU_ALERT_DELIVERY_WINDOW_MINUTES,
    notReadyMinutes: config.POLKU_ALERT_NOT_READY_MINUTES,
    outboxRows: config.POLKU_ALERT_OUTBOX_ROWS,
    outboxAgeSeconds: config.POLKU_ALERT_OUTBOX_AGE_SECONDS,
  };
}

/** The console's pages sign people in through this, or not at all when no provider is configured. */
export function signInSettings(config: ConsoleConfig): SignInSettings | undefined {
  if (!config.POLKU_CONSOLE_OIDC_ISSUER || !config.POLKU_CONSOLE_OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: config.POLKU_CONSOLE_OIDC_ISSUER,
    clientId: config.POLKU_CONSOLE_OIDC_CLIENT_ID,
    clientSecret: config.POLKU_CONSOLE_OIDC_CLIENT_SECRET,
    redirectUri: new URL('/ui/callback', config.POLKU_CONSOLE_PUBLIC_URL).href,
    mfaAcrValues: config.POLKU_CONSOLE_MFA_ACR,
    operatorGroups: config.POLKU_CONSOLE_OPERATOR_GROUPS,
    auditorGroups: config.POLKU_CONSOLE_AUDITOR_GROUPS,
    allowHttp: config.POLKU_CONSOLE_OIDC_ALLOW_HTTP,
  };
}
