import { commonSettings, loadConfig, settings } from '@polku/service-kit';

/** Everything the referral API reads from its environment; README.md has the table. */
export const referralApiSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8080 */
  PORT: settings.port(8080),
  /** AES-256-GCM key of the vault, base64 of 32 bytes. Required: losing it loses every vault record. */
  POLKU_VAULT_KEY: settings.key(32),
  /** HMAC key of subject references, base64 of 32 bytes. Required: changing it breaks the link between a child's referrals. */
  POLKU_PSEUDONYM_KEY: settings.key(32),
  /** A service catalogue file. @defaultValue the shipped Keski-Suomi catalogue */
  POLKU_CATALOGUE_FILE: settings.optionalString(),
  /** Where callers reach this API, for the `Location` header. @defaultValue http://127.0.0.1:8080 */
  POLKU_PUBLIC_URL: settings.url('http://127.0.0.1:8080'),
  /** The consent service, asked before every release of details. @defaultValue http://127.0.0.1:8083 */
  POLKU_CONSENT_URL: settings.url('http://127.0.0.1:8083'),
  /** This service's own key at the consent service (role `backbone`). Required. */
  POLKU_CONSENT_KEY: settings.string(),
};

export type ReferralApiConfig = ReturnType<typeof loadReferralApiConfig>;

export function loadReferralApiConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(referralApiSettings, env);
}

/** The key-issuing CLI only needs Redis, where the keys live. */
export function loadIssueKeyConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig({ REDIS_URL: commonSettings.REDIS_URL }, env);
}
