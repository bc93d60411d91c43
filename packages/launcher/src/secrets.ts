import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The keys the backbone's services need, as base64, the form their settings take. */
export interface BackboneSecrets {
  vaultKey: string;
  pseudonymKey: string;
  schoolSharedSecret: string;
  ngoSharedSecret: string;
}

export function freshSecrets(): BackboneSecrets {
  return { vaultKey: randomBytes(32).toString('base64'), pseudonymKey: randomBytes(32).toString('base64'), schoolSharedSecret: randomBytes(32).toString('base64'), ngoSharedSecret: randomBytes(32).toString('base64') };
}

/**
 * The demo keeps its keys in a git-ignored file, so the vault it wrote stays readable and
 * subject references stay stable across restarts of `npm start`.
 */
export function persistentSecrets(file: string): BackboneSecrets {
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<BackboneSecrets>) : {};
  // Secrets added in later versions are filled in and kept, so an older demo folder keeps working.
  const secrets = { ...freshSecrets(), ...stored };
  if (Object.keys(stored).length !== Object.keys(secrets).length) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
