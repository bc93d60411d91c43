import { commonSettings, loadConfig, settings } from '@polku/service-kit';

/** Everything the consent service reads from its environment; README.md has the table. */
export const consentSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8083 */
  PORT: settings.port(8083),
  /** The pseudonym key (base64, 32 bytes): the SAME key as the referral API, so subject refs match. */
  POLKU_PSEUDONYM_KEY: settings.key(32),
  /** Prefix of the BullMQ keys in Redis. @defaultValue polku */
  POLKU_QUEUE_PREFIX: settings.string('polku'),
  /** Where this service is reached from outside; receipts link to it. @defaultValue http://127.0.0.1:8083 */
  POLKU_PUBLIC_URL: settings.url('http://127.0.0.1:8083'),
  /** The privacy policy a receipt names (Kantara `policyUrl`). @defaultValue `<POLKU_PUBLIC_URL>/docs` */
  POLKU_POLICY_URL: optionalUrl(),
  /** A service catalogue file. @defaultValue the shipped Keski-Suomi catalogue */
  POLKU_CATALOGUE_FILE: settings.optionalString(),
  /**
   * This service's own Ed25519 key, `<key id>:<base64 of PKCS#8 DER>`: every lookup it writes to the
   * disclosure log is signed with it (docs/disclosure-log.md). Required; the launcher makes one.
   */
  POLKU_DISCLOSURE_SIGNING_KEY: settings.signingKey(),
};

export type ConsentConfig = ReturnType<typeof loadConsentConfig>;

export function loadConsentConfig(env: Record<string, string | undefined>) {
  return loadConfig(consentSettings, env);
}

/** An optional URL: unset means "derive it"; set, it must parse. */
function optionalUrl() {
  const url = settings.url();
  return { parse: (raw: string | undefined): string | undefined => (raw === undefined || raw === '' ? undefined : url.parse(raw)) };
}
