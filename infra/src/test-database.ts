import { randomBytes } from 'node:crypto';
import { migrate } from './migrate';
import { createDatabaseIfMissing, dropDatabase, listDatabases, withDatabase } from './postgres';

/**
 * A database of its own for one test run, on the server of `serverUrl`: the machine's PostgreSQL
 * keeps its data between runs, so no run ever sees another's rows. Migrated to the newest version
 * unless `empty` (a test of the migrations themselves).
 */
export async function freshTestDatabase(serverUrl: string, label = 'test', options: { empty?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `polku_${label}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await createDatabaseIfMissing(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  if (!options.empty) await migrate(url);
  return { url, drop: () => dropDatabase(serverUrl, name) };
}

/** Drops test databases (`polku_<label>_<time>_<random>`) made more than `olderThanMs` ago: what killed runs left. */
export async function dropStaleTestDatabases(serverUrl: string, olderThanMs = 6 * 3600 * 1000): Promise<string[]> {
  const names = await listDatabases(serverUrl);
  const stale = names.filter((name) => {
    const match = /^polku_[a-z0-9]+_([a-z0-9]+)_[0-9a-f]{6}$/.exec(name);
    return match !== null && Date.now() - parseInt(match[1]!, 36) > olderThanMs;
  });
  for (const name of stale) await dropDatabase(serverUrl, name);
  return stale;
}
