import type { Database } from '@polku/db';
import { PolkuError } from '@polku/service-kit';
import { keyFor, openRecord, sealRecord } from './vault';
import type { VaultKeyRing } from './vault-keys';

export interface RotationProgress {
  /** Records re-sealed under the current key by this call. */
  resealed: number;
  /**
   * Records still under another key when this call ended: sealed meanwhile by an instance with the
   * old key first, or held by a rotation running at the same time that had not committed yet.
   */
  remaining: number;
}

/**
 * Re-seals every live record that is not under the current key, in small transactions of
 * `batch` rows taken with `FOR UPDATE SKIP LOCKED`, so it runs while the services run (a row being
 * read is simply read under its old key, which stays configured until rotation is done) and two
 * rotations at once never touch the same row.
 */
export async function rotateVault(db: Database, keys: VaultKeyRing, options: { batch?: number; onBatch?: (resealed: number) => void } = {}): Promise<RotationProgress> {
  const batch = options.batch ?? 200;
  let resealed = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ referral_id: string; key_id: string; sealed: Buffer }>(
        `SELECT referral_id, key_id, sealed FROM vault_records
          WHERE erased_at IS NULL AND key_id <> $1 ORDER BY referral_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [keys.current.id, batch],
      );
      for (const row of rows) {
        const details = openRecord<object>(keyFor(keys, row.key_id, row.referral_id), row.referral_id, row.sealed);
        await tx.query('UPDATE vault_records SET key_id = $2, sealed = $3 WHERE referral_id = $1', [row.referral_id, keys.current.id, sealRecord(keys.current.key, row.referral_id, details)]);
      }
      return rows.length;
    });
    resealed += done;
    if (done > 0) options.onBatch?.(resealed);
    if (done < batch) break;
  }
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM vault_records WHERE erased_at IS NULL AND key_id <> $1', [keys.current.id]);
  return { resealed, remaining: Number(rows[0]?.n ?? 0) };
}

/** Key ids that seal live records, with how many each: what an operator checks before removing a key. */
export async function vaultKeyUsage(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<{ key_id: string; n: string }>('SELECT key_id, count(*) AS n FROM vault_records WHERE erased_at IS NULL GROUP BY key_id ORDER BY key_id');
  if (rows.some((r) => r.key_id === null)) throw new PolkuError('VAULT_RECORD_CORRUPT', 'a live vault record names no key');
  return Object.fromEntries(rows.map((r) => [r.key_id, Number(r.n)]));
}
