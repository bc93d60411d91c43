import { parseVaultKeys, type VaultKeyRing } from '@polku/personal-data';
import { commonSettings, loadConfig, SettingProblem, settings } from '@polku/service-kit';

/** Everything the referral API reads from its environment; README.md has the table. */
export const referralApiSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8080 */
  PORT: settings.port(8080),
  /**
   * The vault's keys: `<key id>:<base64 of 32 bytes>`, comma-separated; the first seals new
   * records, the others only open what they sealed until `vault:rotate` has re-sealed it.
   * Required: losing a key loses every record sealed under it.
   */
  POLKU_VAULT_KEYS: vaultKeys(),
  /** How long after a referral closes (or is cancelled) its details are erased from the vault. @defaultValue 7776000000 (90 days) */
  POLKU_VAULT_ERASE_AFTER_MS: settings.integer(90 * 24 * 3600 * 1000, { min: 0 }),
  /**
   * Crash tests only: the process kills itself (SIGKILL) right after an intake commits, before it
   * answers, to show a retry with the same Idempotency-Key creates nothing twice. @defaultValue off
   */
  POLKU_FAULT_CRASH_AFTER_INTAKE_COMMIT: settings.oneOf(['0', '1'] as const, '0'),
  /** How often the vault looks for details due for erasure. @defaultValue 3600000 (1 h) */
  POLKU_VAULT_ERASE_INTERVAL_MS: settings.integer(3_600_000, { min: 100 }),
  /**
   * How long the disclosure log's rows (disclosure_entries, disclosure_logged_deliveries) are kept:
   * infra/retention.json `disclosure-log`, as the topic. Swept with the vault.
   * @defaultValue 157680000000 (5 years)
   */
  POLKU_DISCLOSURE_RETENTION_MS: settings.integer(5 * 365 * 24 * 3600 * 1000, { min: 2 * 365 * 24 * 3600 * 1000 }),
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
  /**
   * This service's own Ed25519 key, `<key id>:<base64 of PKCS#8 DER>`: every disclosure-log entry
   * it writes is signed with it (docs/disclosure-log.md). Required; the launcher makes one.
   */
  POLKU_DISCLOSURE_SIGNING_KEY: settings.signingKey(),
};

export type ReferralApiConfig = ReturnType<typeof loadReferralApiConfig>;

export function loadReferralApiConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(referralApiSettings, env);
}

/** The key-issuing CLI only needs the database, where the keys live. */
export function loadIssueKeyConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig({ DATABASE_URL: commonSettings.DATABASE_URL }, env);
}

/** `vault:rotate` needs the database and every key, the new one first. */
export function loadRotateVaultConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig({ DATABASE_URL: commonSettings.DATABASE_URL, POLKU_DATABASE_TIMEOUT_MS: commonSettings.POLKU_DATABASE_TIMEOUT_MS, POLKU_VAULT_KEYS: vaultKeys() }, env);
}

/** POLKU_VAULT_KEYS, parsed at start; every problem is named (never a key). */
function vaultKeys() {
  return {
    parse: (raw: string | undefined): VaultKeyRing => {
      if (raw === undefined || raw === '') throw new SettingProblem('is required');
      try {
        return parseVaultKeys(raw);
      } catch (error) {
        throw new SettingProblem((error as Error).message.replace(/^POLKU_VAULT_KEYS: /, 'is invalid: '));
      }
    },
  };
}
