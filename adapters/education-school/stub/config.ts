// STAND-IN: settings of the stub school system used in tests and the demo. Not a real school system.
import { commonSettings, loadConfig, settings } from '@polku/service-kit';

const stubSettings = {
  /** @defaultValue 127.0.0.1 */
  STUB_HOST: settings.string('127.0.0.1'),
  /** @defaultValue 8090 */
  STUB_PORT: settings.port(8090),
  /** Secret shared with Polku (32 bytes, base64); unset, POLKU_EDUCATION_SCHOOL_SECRET is used, as in the demo. */
  STUB_SECRET: settings.optionalString(),
  POLKU_EDUCATION_SCHOOL_SECRET: settings.optionalString(),
  /** Accept each new delivery by itself after this many ms; 0 = only when told. @defaultValue 0 */
  STUB_AUTO_ACCEPT_MS: settings.integer(0, { min: 0 }),
  /** Close an auto-accepted referral this many ms after accepting; 0 = never. @defaultValue 0 */
  STUB_AUTO_CLOSE_MS: settings.integer(0, { min: 0 }),
  LOG_LEVEL: commonSettings.LOG_LEVEL,
};

export function loadStubConfig(env: Record<string, string | undefined>) {
  const values = loadConfig(stubSettings, env);
  // Parsed with the same rule as the host's, so a wrong secret fails here, not at the first signature.
  const { POLKU_EDUCATION_SCHOOL_SECRET: secret } = loadConfig(
    { POLKU_EDUCATION_SCHOOL_SECRET: settings.key(32) },
    { POLKU_EDUCATION_SCHOOL_SECRET: values.STUB_SECRET ?? values.POLKU_EDUCATION_SCHOOL_SECRET },
  );
  return Object.freeze({ ...values, secret });
}
