import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@polku/service-kit';
import { createDatabase, once, type IdempotencyClaim } from '../src/index';

const db = createDatabase({ url: process.env['DATABASE_URL']!, applicationName: 'idempotency-test', logger: createLogger({ service: 'test', level: 'silent' }) });
afterAll(() => db.close());

const claim = (over: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({ scope: 'referral-submit', organisationId: 'org-a', key: randomUUID(), fingerprint: 'f1', ...over });
const answer = (id: string) => ({ status: 202, body: { id } });

async function table() {
  const name = `work_${randomUUID().replaceAll('-', '')}`;
  await db.query(`CREATE TABLE ${name} (id text)`);
  return { name, rows: async () => (await db.query<{ id: string }>(`SELECT id FROM ${name} ORDER BY id`)).rows.map((r) => r.id) };
}

describe('once', () => {
  it('does the work the first time and gives its answer again to a retry, which does nothing', async () => {
    const t = await table();
    const c = claim();
    const first = await db.transaction((tx) => once(tx, c, answer('a'), () => tx.query(`INSERT INTO ${t.name} VALUES ('a')`).then(() => {})));
    const retry = await db.transaction((tx) => once(tx, c, answer('b'), () => tx.query(`INSERT INTO ${t.name} VALUES ('b')`).then(() => {})));
    expect(first).toEqual({ answer: answer('a'), replayed: false });
    expect(retry).toEqual({ answer: answer('a'), replayed: true });
    expect(await t.rows()).toEqual(['a']);
  });

  it('refuses the key with another body, and keeps keys apart per organisation and operation', async () => {
    const c = claim();
    await db.transaction((tx) => once(tx, c, answer('a'), async () => {}));
    await expect(db.transaction((tx) => once(tx, { ...c, fingerprint: 'f2' }, answer('b'), async () => {}))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
    expect((await db.transaction((tx) => once(tx, { ...c, organisationId: 'org-b' }, answer('c'), async () => {}))).replayed).toBe(false);
    expect((await db.transaction((tx) => once(tx, { ...c, scope: 'consent-record' }, answer('d'), async () => {}))).replayed).toBe(false);
  });

  it('leaves the key free when the work fails, so the retry does it', async () => {
    const t = await table();
    const c = claim();
    await expect(db.transaction((tx) => once(tx, c, answer('a'), async () => {
      await tx.query(`INSERT INTO ${t.name} VALUES ('a')`);
      throw new Error('vault write failed');
    }))).rejects.toThrow('vault write failed');
    expect(await db.transaction((tx) => once(tx, c, answer('b'), () => tx.query(`INSERT INTO ${t.name} VALUES ('b')`).then(() => {})))).toEqual({ answer: answer('b'), replayed: false });
    expect(await t.rows()).toEqual(['b']);
  });

  it('lets racing retries do the work once: the later waits for the first to commit and gets its answer', async () => {
    const t = await table();
    const c = claim();
    const attempt = (id: string) => db.transaction((tx) => once(tx, c, answer(id), async () => {
      await tx.query(`INSERT INTO ${t.name} VALUES ($1)`, [id]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }));
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(attempt));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const winner = results.find((r) => !r.replayed)!.answer;
    expect(results.every((r) => r.answer.body.id === winner.body.id)).toBe(true);
    expect(await t.rows()).toEqual([winner.body.id]);
  });

  it('treats a key whose answer has expired as new', async () => {
    const c = claim();
    await db.transaction((tx) => once(tx, c, answer('a'), async () => {}));
    await db.query("UPDATE idempotency_records SET expires_at = now() - interval '1 second' WHERE idempotency_key = $1", [c.key]);
    expect(await db.transaction((tx) => once(tx, { ...c, fingerprint: 'other' }, answer('b'), async () => {}))).toEqual({ answer: answer('b'), replayed: false });
  });
});
