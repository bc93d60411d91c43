import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { openRecord, sealRecord, sqlVault } from './vault';
import { parseVaultKeys } from './vault-keys';
import { rotateVault, vaultKeyUsage } from './vault-rotation';

const db = createDatabase({ url: process.env.DATABASE_URL!, applicationName: 'vault-test', logger: createLogger({ service: 'vault-test', level: 'silent' }) });
afterAll(() => db.close());

const key = () => randomBytes(32).toString('base64');
const details = { child: { identityCode: '010115A947V', firstName: 'Testi' }, description: 'Lukemisen tuki.' };

describe('vault keys from configuration', () => {
  it('takes id:base64 pairs, the first sealing new records', () => {
    const ring = parseVaultKeys(`2026b:${key()}, 2026a:${key()}`);
    expect(ring.current.id).toBe('2026b');
    expect([...ring.byId.keys()]).toEqual(['2026b', '2026a']);
  });

  it('names every problem and never a key', () => {
    const secret = Buffer.alloc(16, 7).toString('base64');
    const attempt = () => parseVaultKeys(`a:${secret},:${key()},a:${key()}`);
    expect(attempt).toThrow(/entry 1 \(a\) must be 32 bytes.*entry 2 needs a key id.*key id a appears twice/);
    expect(attempt).not.toThrow(new RegExp(secret.slice(0, 10)));
  });
});

describe('the vault in PostgreSQL', () => {
  it('stores details sealed under the current key, and opens them again', async () => {
    const keys = parseVaultKeys(`k1:${key()}`);
    const vault = sqlVault(db, keys);
    const id = randomUUID();
    await db.transaction((tx) => vault.put(tx, id, details));
    expect(await vault.get(id)).toEqual({ state: 'present', details });
    const { rows } = await db.query<{ key_id: string; sealed: Buffer }>('SELECT key_id, sealed FROM vault_records WHERE referral_id = $1', [id]);
    expect(rows[0]!.key_id).toBe('k1');
    expect(rows[0]!.sealed.toString('latin1')).not.toContain('947V');
    expect(await vault.get(randomUUID())).toBeUndefined();
  });

  it('keeps nothing of a transaction that rolls back', async () => {
    const vault = sqlVault(db, parseVaultKeys(`k1:${key()}`));
    const id = randomUUID();
    await expect(db.transaction(async (tx) => {
      await vault.put(tx, id, details);
      throw new Error('publishing failed');
    })).rejects.toThrow();
    expect(await vault.get(id)).toBeUndefined();
  });

  it('does not open a record under another id or with another key', () => {
    const k = randomBytes(32);
    const sealed = sealRecord(k, 'a', { name: 'x' });
    expect(() => openRecord(k, 'b', sealed)).toThrow(/does not open/);
    expect(() => openRecord(randomBytes(32), 'a', sealed)).toThrow(/does not open/);
  });

  it('erases details at the time set when the referral closed, leaving a tombstone', async () => {
    const vault = sqlVault(db, parseVaultKeys(`k1:${key()}`));
    const [soon, later] = [randomUUID(), randomUUID()];
    await db.transaction(async (tx) => {
      await vault.put(tx, soon, details);
      await vault.put(tx, later, details);
    });
    const now = new Date();
    await vault.scheduleErasure(soon, new Date(now.getTime() - 1000));
    await vault.scheduleErasure(later, new Date(now.getTime() + 3_600_000));
    expect(await vault.eraseDue(now)).toBeGreaterThanOrEqual(1);
    expect(await vault.get(soon)).toEqual({ state: 'erased', erasedAt: now });
    expect(await vault.get(later)).toMatchObject({ state: 'present' });
    // A later close never postpones an erasure already due earlier.
    await vault.scheduleErasure(later, new Date(now.getTime() + 7_200_000));
    const { rows } = await db.query<{ erase_after: Date }>('SELECT erase_after FROM vault_records WHERE referral_id = $1', [later]);
    expect(rows[0]!.erase_after.getTime()).toBe(now.getTime() + 3_600_000);
  });
});

describe('key rotation', () => {
  it('re-seals every record under the new key while the old one still opens what it has not reached', async () => {
    // A database of its own: rotation takes every record, and other tests' records are under keys it does not hold.
    const own = await freshTestDatabase(process.env.DATABASE_URL!, 'rotation');
    const db = createDatabase({ url: own.url, applicationName: 'vault-test', logger: createLogger({ service: 'vault-test', level: 'silent' }) });
    try {
      await rotation(db);
    } finally {
      await db.close();
      await own.drop();
    }
  });

  async function rotation(db: Database) {
    const [oldKey, newKey] = [key(), key()];
    const before = parseVaultKeys(`old-${randomUUID().slice(0, 8)}:${oldKey}`);
    const oldId = before.current.id;
    const ids = Array.from({ length: 25 }, () => randomUUID());
    await db.transaction(async (tx) => {
      for (const id of ids) await sqlVault(db, before).put(tx, id, { ...details, id });
    });
    const after = parseVaultKeys(`new-${randomUUID().slice(0, 8)}:${newKey},${oldId}:${oldKey}`);
    // Another rotation runs at the same time: SKIP LOCKED keeps them off each other's rows.
    const [a, b] = await Promise.all([rotateVault(db, after, { batch: 4 }), rotateVault(db, after, { batch: 4 })]);
    expect(a.resealed + b.resealed).toBeGreaterThanOrEqual(ids.length);
    // The rotation that ended first may count rows the other still held (skipped, not yet
    // committed); the one that ended last saw none left.
    expect(Math.min(a.remaining, b.remaining)).toBe(0);
    expect((await vaultKeyUsage(db))[oldId]).toBeUndefined();
    // Opened with the new key alone.
    const onlyNew = parseVaultKeys(`${after.current.id}:${newKey}`);
    for (const id of ids) expect(await sqlVault(db, onlyNew).get(id)).toEqual({ state: 'present', details: { ...details, id } });
  }

  it('says which key is missing rather than failing silently', async () => {
    const ring = parseVaultKeys(`gone:${key()}`);
    const id = randomUUID();
    await db.transaction((tx) => sqlVault(db, ring).put(tx, id, details));
    await expect(sqlVault(db, parseVaultKeys(`other:${key()}`)).get(id)).rejects.toMatchObject({ code: 'VAULT_KEY_MISSING' });
  });
});
