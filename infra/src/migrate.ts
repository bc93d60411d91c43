import { resolve } from 'node:path';
import { runner } from 'node-pg-migrate';

/** infra/migrations: one SQL file per version, `NNNN_what.sql`, each with `-- Up Migration` and `-- Down Migration`. */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '..', 'migrations');

/**
 * Brings the database to the newest version. Every service runs it at start: node-pg-migrate
 * takes an advisory lock, so services starting at once wait their turn and apply each migration
 * once, and an up-to-date database costs one query. @returns the names of the migrations applied now
 */
export async function migrate(url: string): Promise<string[]> {
  const applied = await runner({
    databaseUrl: url,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    singleTransaction: true,
    checkOrder: true,
    advisoryLockMode: 'wait',
    log: () => {},
  });
  return applied.map((m) => m.name);
}
