import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { createDatabase, migrate } from '../src/index';

const logger = createLogger({ service: 'db-test', level: 'silent' });

function databaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('database tests need DATABASE_URL (the vitest global setup sets it)');
  return url;
}

describe('migrations', () => {
  it('bring an empty database to the newest version once, and find nothing to do the second time', async () => {
    const empty = await freshTestDatabase(databaseUrl(), 'migrate', { empty: true });
    try {
      const applied = await migrate(empty.url);
      expect(applied[0]).toBe('0001_durable-state');
      expect(await migrate(empty.url)).toEqual([]);
      const db = createDatabase({ url: empty.url, applicationName: 'db-test', logger });
      try {
        const { rows } = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
        expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['api_keys', 'idempotency_records', 'outbox', 'pgmigrations', 'vault_records']));
      } finally {
        await db.close();
      }
    } finally {
      await empty.drop();
    }
  });

  it('run from several processes at once apply each migration once', async () => {
    const empty = await freshTestDatabase(databaseUrl(), 'migrate', { empty: true });
    try {
      const results = await Promise.all([migrate(empty.url), migrate(empty.url), migrate(empty.url)]);
      expect(results.flat().filter((name) => name === '0001_durable-state')).toHaveLength(1);
    } finally {
      await empty.drop();
    }
  });
});

describe('a database that does not answer', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  /** Accepts TCP connections and never says a word: a server that is frozen or behind a dead link. */
  async function blackHole(): Promise<number> {
    const server = createServer(() => {});
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  it('fails a query with DATABASE_UNAVAILABLE (503, retryable) at its deadline, instead of waiting', async () => {
    const db = createDatabase({ url: `postgres://postgres@127.0.0.1:${await blackHole()}/polku`, applicationName: 'db-test', logger, timeoutMs: 300 });
    const started = Date.now();
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503, retryable: true, retryAfterSeconds: 5 });
    await expect(db.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5000);
    await db.close();
  });

  it('says the same when nothing listens at all', async () => {
    const port = await blackHole();
    servers.pop()!.close();
    const db = createDatabase({ url: `postgres://postgres@127.0.0.1:${port}/polku`, applicationName: 'db-test', logger });
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    await db.close();
  });
});

describe('transactions', () => {
  it('fail, and only fail, when the server ends their connection between two queries (a restart)', async () => {
    const db = createDatabase({ url: databaseUrl(), applicationName: 'db-test', logger });
    const admin = createDatabase({ url: databaseUrl(), applicationName: 'db-test-admin', logger });
    try {
      await expect(db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // What a fast shutdown sends every backend (57P01), while the work is between queries.
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.query('SELECT 1');
      })).rejects.toBeInstanceOf(Error);
      expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await db.close();
      await admin.close();
    }
  });

  it('commit what the work wrote, and roll back everything when it throws', async () => {
    const db = createDatabase({ url: databaseUrl(), applicationName: 'db-test', logger });
    try {
      const table = `tx_test_${Date.now()}`;
      await db.query(`CREATE TABLE ${table} (n integer)`);
      await db.transaction(async (tx) => void (await tx.query(`INSERT INTO ${table} VALUES (1)`)));
      await expect(db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} VALUES (2)`);
        throw new Error('changed my mind');
      })).rejects.toThrow('changed my mind');
      await expect(db.transaction(async (tx) => tx.query(`INSERT INTO ${table} VALUES ('not a number')`))).rejects.toMatchObject({ code: '22P02' });
      expect((await db.query<{ n: number }>(`SELECT n FROM ${table}`)).rows).toEqual([{ n: 1 }]);
      await db.query(`DROP TABLE ${table}`);
    } finally {
      await db.close();
    }
  });
});
