import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Sql } from '@polku/db';
import { PolkuError } from '@polku/service-kit';
import type { VaultKeyRing } from './vault-keys';

/**
 * The vault holds the personal details behind a referral (identity code, names, contact details,
 * free text) in PostgreSQL, sealed with AES-256-GCM under a key from configuration; each record
 * names the key that sealed it. Topics and logs only ever see the referral id; details are
 * released per request (claim check). The record id is bound into the ciphertext (AAD), so a
 * record copied under another id does not open.
 */
export type VaultRead<T> = { state: 'present'; details: T } | { state: 'erased'; erasedAt: Date } | undefined;

export interface Vault {
  /** Seals and stores the details, inside the caller's transaction (`tx`) so they commit with the rest. */
  put(tx: Sql, id: string, details: object): Promise<void>;
  get<T>(id: string): Promise<VaultRead<T>>;
  /** The details are erased at `at` (a referral closed); the earliest date asked for stands. Through `tx` when given. */
  scheduleErasure(id: string, at: Date, tx?: Sql): Promise<void>;
  /** Erases every record whose time has come, leaving a tombstone. @returns how many */
  eraseDue(now: Date): Promise<number>;
}

/** iv (12 bytes) · tag (16) · ciphertext */
export function sealRecord(key: Buffer, id: string, details: object): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const body = Buffer.concat([cipher.update(JSON.stringify(details), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openRecord<T>(key: Buffer, id: string, sealed: Buffer): T {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(sealed.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch (cause) {
    throw new PolkuError('VAULT_RECORD_CORRUPT', `vault record ${id} does not open with its key`, { cause });
  }
}

/** The key that sealed a record; a key id no longer configured is an operator's mistake, said plainly. */
export function keyFor(keys: VaultKeyRing, keyId: string, id: string): Buffer {
  const key = keys.byId.get(keyId);
  if (!key) throw new PolkuError('VAULT_KEY_MISSING', `vault record ${id} is sealed under key ${keyId}, which POLKU_VAULT_KEYS does not hold`);
  return key;
}

interface VaultRow {
  key_id: string | null;
  sealed: Buffer | null;
  erased_at: Date | null;
}

export function sqlVault(db: Sql, keys: VaultKeyRing): Vault {
  return {
    async put(tx, id, details) {
      await tx.query('INSERT INTO vault_records (referral_id, key_id, sealed) VALUES ($1, $2, $3)', [id, keys.current.id, sealRecord(keys.current.key, id, details)]);
    },
    async get<T>(id: string): Promise<VaultRead<T>> {
      const { rows } = await db.query<VaultRow>('SELECT key_id, sealed, erased_at FROM vault_records WHERE referral_id = $1', [id]);
      const row = rows[0];
      if (!row) return undefined;
      if (row.erased_at || !row.sealed || !row.key_id) return { state: 'erased', erasedAt: row.erased_at ?? new Date(0) };
      return { state: 'present', details: openRecord<T>(keyFor(keys, row.key_id, id), id, row.sealed) };
    },
    async scheduleErasure(id, at, tx = db) {
      await tx.query('UPDATE vault_records SET erase_after = LEAST(COALESCE(erase_after, $2), $2) WHERE referral_id = $1 AND erased_at IS NULL', [id, at]);
    },
    async eraseDue(now) {
      const { rowCount } = await db.query('UPDATE vault_records SET sealed = NULL, key_id = NULL, erased_at = $1 WHERE erase_after <= $1 AND erased_at IS NULL', [now]);
      return rowCount ?? 0;
    },
  };
}
