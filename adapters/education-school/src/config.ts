import { settings, type Setting } from '@polku/service-kit';
import { organisationKeys, referralApiSettings, type ParsedSettings } from '@polku/adapter-kit';

/** What differs between systems that speak this signed-webhook API (README.md): names and defaults. */
export interface WebhookSystem {
  /** Adapter id, `<sector>.<system>`; also the `X-Polku-User` of its details fetches. */
  id: string;
  /** Prefix of its settings, e.g. `POLKU_EDUCATION_SCHOOL`. */
  prefix: string;
  /** @defaultValue the stand-in's URL */
  defaultUrl: string;
  /** Comma-separated catalogue organisations served by default. */
  defaultOrganisations: string;
}

export const EDUCATION_SCHOOL: WebhookSystem = {
  id: 'education.school',
  prefix: 'POLKU_EDUCATION_SCHOOL',
  defaultUrl: 'http://127.0.0.1:8090',
  defaultOrganisations: 'jyvaskyla-education,laukaa-education,aanekoski-education',
};

/**
 * A system's settings, `<prefix>_URL`, `_SECRET`, `_ORGANISATIONS`, `_TIMEOUT_MS`, `_KEYS`, plus
 * POLKU_REFERRAL_API_URL. The host merges them into its one configuration (only a `config.ts`
 * reads the environment), so a missing secret or key is reported at start.
 */
export function webhookSettings(system: WebhookSystem): Record<string, Setting<unknown>> {
  return {
    /** Base URL of the system's API. */
    [`${system.prefix}_URL`]: settings.url(system.defaultUrl),
    /** Shared secret, 32 bytes in base64, signing both directions. Required. */
    [`${system.prefix}_SECRET`]: settings.key(32),
    /** Catalogue organisations whose deliveries go to this system. */
    [`${system.prefix}_ORGANISATIONS`]: settings.list(system.defaultOrganisations),
    /** How long one request may take. @defaultValue 10000 */
    [`${system.prefix}_TIMEOUT_MS`]: settings.integer(10_000, { min: 50, max: 120_000 }),
    /** `organisationId=apiKey` pairs: the referral-API key each served organisation fetches details with. Required, one per organisation. */
    [`${system.prefix}_KEYS`]: settings.list(),
    ...referralApiSettings,
  };
}

/** The education system's settings, typed (the names are in README.md). */
export const schoolSettings = webhookSettings(EDUCATION_SCHOOL) as {
  POLKU_EDUCATION_SCHOOL_URL: Setting<string>;
  POLKU_EDUCATION_SCHOOL_SECRET: Setting<Buffer>;
  POLKU_EDUCATION_SCHOOL_ORGANISATIONS: Setting<string[]>;
  POLKU_EDUCATION_SCHOOL_TIMEOUT_MS: Setting<number>;
  POLKU_EDUCATION_SCHOOL_KEYS: Setting<string[]>;
} & typeof referralApiSettings;

export interface SchoolConfig {
  /** The adapter id, sent as `X-Polku-User` with details fetches. */
  id: string;
  baseUrl: string;
  secret: Buffer;
  organisations: ReadonlySet<string>;
  timeoutMs: number;
  /** The referral API, for the details (claim check). */
  referralApiUrl: string;
  /** Each served organisation's referral-API key. */
  keys: ReadonlyMap<string, string>;
}

export function configureWebhook(system: WebhookSystem, values: ParsedSettings<Record<string, Setting<unknown>>>): SchoolConfig {
  const value = <T>(name: string) => values[`${system.prefix}_${name}`] as T;
  const organisations = value<string[]>('ORGANISATIONS');
  return Object.freeze({
    id: system.id,
    baseUrl: value<string>('URL'),
    secret: value<Buffer>('SECRET'),
    organisations: new Set(organisations),
    timeoutMs: value<number>('TIMEOUT_MS'),
    referralApiUrl: values['POLKU_REFERRAL_API_URL'] as string,
    keys: organisationKeys(`${system.prefix}_KEYS`, value<string[]>('KEYS'), organisations),
  });
}

export const configureSchool = (values: ParsedSettings<typeof schoolSettings>): SchoolConfig => configureWebhook(EDUCATION_SCHOOL, values);
