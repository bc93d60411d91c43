import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The keys the backbone's services need, in the form their settings take. */
export interface BackboneSecrets {
  /** POLKU_VAULT_KEYS: `<key id>:<base64>`, the sealing key first. */
  vaultKeys: string;
  pseudonymKey: string;
  schoolSharedSecret: string;
  ngoSharedSecret: string;
}

export function freshSecrets(): BackboneSecrets {
  return { vaultKeys: `vault-1:${randomBytes(32).toString('base64')}`, pseudonymKey: randomBytes(32).toString('base64'), schoolSharedSecret: randomBytes(32).toString('base64'), ngoSharedSecret: randomBytes(32).toString('base64') };
}

/**
 * The demo keeps its keys in a git-ignored file, so the vault it wrote stays readable and
 * subject references stay stable across restarts of `npm start`.
 */
export function persistentSecrets(file: string): BackboneSecrets {
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<BackboneSecrets> & { vaultKey?: string }) : {};
  // Before the vault had a key ring it had one key; it becomes the ring's only key, so its records still open.
  if (stored.vaultKey && !stored.vaultKeys) {
    stored.vaultKeys = `vault-1:${stored.vaultKey}`;
    delete stored.vaultKey;
  }
  // Secrets added in later versions are filled in and kept, so an older demo folder keeps working.
  const secrets = { ...freshSecrets(), ...stored };
  if ((Object.keys(secrets) as (keyof BackboneSecrets)[]).some((name) => stored[name] !== secrets[name])) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
