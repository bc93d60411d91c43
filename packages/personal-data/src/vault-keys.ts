import { PolkuError } from '@polku/service-kit';

/**
 * The vault's keys, from configuration only: `POLKU_VAULT_KEYS` is a comma-separated list of
 * `<key id>:<base64 of 32 bytes>`. The first seals every new record; the others only open records
 * sealed under them, until `vault:rotate` has re-sealed those under the first.
 */
export interface VaultKeyRing {
  current: { id: string; key: Buffer };
  byId: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `id:base64,…`; throws CONFIG_INVALID naming every problem (never a key). */
export function parseVaultKeys(text: string): VaultKeyRing {
  const problems: string[] = [];
  const byId = new Map<string, Buffer>();
  for (const [i, entry] of text.split(',').map((e) => e.trim()).filter(Boolean).entries()) {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    const key = Buffer.from(at > 0 ? entry.slice(at + 1) : '', 'base64');
    if (!KEY_ID.test(id)) problems.push(`entry ${i + 1} needs a key id (letters, digits, - and _) before ':'`);
    else if (byId.has(id)) problems.push(`key id ${id} appears twice`);
    if (key.length !== 32) problems.push(`entry ${i + 1} (${id || 'no id'}) must be 32 bytes in base64`);
    byId.set(id, key);
  }
  if (byId.size === 0) problems.push('at least one key is needed');
  if (problems.length > 0) throw new PolkuError('CONFIG_INVALID', `POLKU_VAULT_KEYS: ${problems.join('; ')}`);
  const [id, key] = [...byId][0]!;
  return { current: { id, key }, byId };
}
