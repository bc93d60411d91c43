import { settings } from '@polku/service-kit';
import type { ParsedSettings } from '@polku/adapter-kit';

/**
 * This adapter's settings. The host merges them into its one configuration (only a
 * `config.ts` reads the environment), so a missing secret is reported at start.
 */
export const schoolSettings = {
  /** Base URL of the school system's API. @defaultValue the stand-in, http://127.0.0.1:8090 */
  POLKU_EDUCATION_SCHOOL_URL: settings.url('http://127.0.0.1:8090'),
  /** Shared secret, 32 bytes in base64, signing both directions. Required. */
  POLKU_EDUCATION_SCHOOL_SECRET: settings.key(32),
  /** Catalogue organisations whose deliveries go to this system. @defaultValue the three education departments */
  POLKU_EDUCATION_SCHOOL_ORGANISATIONS: settings.list('jyvaskyla-education,laukaa-education,aanekoski-education'),
  /** How long one request may take. @defaultValue 10000 */
  POLKU_EDUCATION_SCHOOL_TIMEOUT_MS: settings.integer(10_000, { min: 50, max: 120_000 }),
};

export interface SchoolConfig {
  baseUrl: string;
  secret: Buffer;
  organisations: ReadonlySet<string>;
  timeoutMs: number;
}

export function configureSchool(values: ParsedSettings<typeof schoolSettings>): SchoolConfig {
  return Object.freeze({
    baseUrl: values.POLKU_EDUCATION_SCHOOL_URL,
    secret: values.POLKU_EDUCATION_SCHOOL_SECRET,
    organisations: new Set(values.POLKU_EDUCATION_SCHOOL_ORGANISATIONS),
    timeoutMs: values.POLKU_EDUCATION_SCHOOL_TIMEOUT_MS,
  });
}
