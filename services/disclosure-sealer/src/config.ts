import { commonSettings, loadConfig, settings } from '@polku/service-kit';

/** Everything the disclosure sealer reads from its environment; README.md has the table. */
export const sealerSettings = {
  ...commonSettings,
  /** @defaultValue 127.0.0.1 */
  HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8086 (8084 and 8085 are kept for services to come) */
  PORT: settings.port(8086),
  /** The sealer's own Ed25519 key, `<key id>:<base64 of PKCS#8 DER>`: it signs the checkpoints. Required. */
  POLKU_DISCLOSURE_SIGNING_KEY: settings.signingKey(),
  /**
   * Public keys of every writer service (and of the sealer), `<key id>:<base64 of SPKI DER>`,
   * comma-separated. An entry signed by a key not here is sealed as forged. Required.
   */
  POLKU_DISCLOSURE_PUBLIC_KEYS: settings.publicKeyring(),
  /** How often each partition's newly sealed entries get a checkpoint. @defaultValue 60000 (1 min) */
  POLKU_SEAL_CHECKPOINT_INTERVAL_MS: settings.integer(60_000, { min: 100, max: 86_400_000 }),
  /** Entries one checkpoint holds at most; a busier partition gets several per interval. @defaultValue 1000 */
  POLKU_SEAL_CHECKPOINT_MAX_ENTRIES: settings.integer(1000, { min: 1, max: 5000 }),
};

export type SealerConfig = ReturnType<typeof loadSealerConfig>;

/** The only read of `process.env` in the sealer; tests pass their own environment. */
export function loadSealerConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig(sealerSettings, env);
}

/**
 * `disclosures:verify` and `disclosures:export` read the log from Kafka with the public keys
 * (POLKU_DISCLOSURE_PUBLIC_KEYS, optional: `--keys` or an export's own keys may stand in).
 */
export function loadAuditConfig(env: Record<string, string | undefined> = process.env) {
  return loadConfig({
    KAFKA_BROKERS: commonSettings.KAFKA_BROKERS,
    POLKU_NAMESPACE: commonSettings.POLKU_NAMESPACE,
    LOG_LEVEL: settings.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'warn'),
    POLKU_DISCLOSURE_PUBLIC_KEYS: settings.optionalString(),
  }, env);
}
