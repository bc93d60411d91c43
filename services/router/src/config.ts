import { commonSettings, loadConfig, settings } from '@polku/service-kit';

/** Everything the router reads from its environment; see README.md for the table. */
export const routerSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8081 */
  PORT: settings.port(8081),
  /** A routing rules file. @defaultValue the shipped Keski-Suomi rules */
  POLKU_RULES_FILE: settings.optionalString(),
  /** A service catalogue file. @defaultValue the shipped Keski-Suomi catalogue */
  POLKU_CATALOGUE_FILE: settings.optionalString(),
  /** Months from closing to the follow-up check. @defaultValue 3 */
  POLKU_FOLLOW_UP_MONTHS: settings.integer(3, { min: 1, max: 36 }),
  /** Prefix of the BullMQ keys in Redis (tests use a fresh one each). @defaultValue polku */
  POLKU_QUEUE_PREFIX: settings.string('polku'),
  /** The consent service, asked about every recipient before routing. @defaultValue http://127.0.0.1:8083 */
  POLKU_CONSENT_URL: settings.url('http://127.0.0.1:8083'),
  /** An API key with the role `backbone` for the consent service's decisions. Required. */
  POLKU_CONSENT_KEY: settings.string(),
  /** Tests and demos only: every SLA deadline is now + this many ms instead of the working-day rule. */
  POLKU_SLA_OVERRIDE_MS: optionalInteger(),
  /** Tests and demos only: every follow-up is due now + this many ms instead of months after closing. */
  POLKU_FOLLOW_UP_OVERRIDE_MS: optionalInteger(),
};

export type RouterConfig = ReturnType<typeof loadRouterConfig>;

/** The only read of `process.env` in the router; tests pass their own environment. */
export function loadRouterConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(routerSettings, env);
}

/** An optional whole number of milliseconds: unset means "use the real rule". */
function optionalInteger() {
  const integer = settings.integer(undefined, { min: 0 });
  return {
    parse: (raw: string | undefined): number | undefined => (raw === undefined || raw === '' ? undefined : integer.parse(raw)),
  };
}
