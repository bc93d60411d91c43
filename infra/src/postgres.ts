import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { InfraConfig } from './config';
import { isAlive, portAnswers } from './processes';

export interface PostgresState {
  /** The database Polku uses, e.g. `postgres://postgres@127.0.0.1:5432/polku`. */
  url: string;
  /** Whether this call started a cluster (only Polku's own one is ever started). */
  startedNow: boolean;
}

type Say = (line: string) => void;

/** Connects, runs one query and disconnects, within `timeoutMs`. */
export async function postgresAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same server as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.href;
}

/** Creates `database` on the server of `url` unless it exists. */
export async function createDatabaseIfMissing(url: string, database: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`database names here are lower-case letters, digits and underscores, got "${database}"`);
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } catch (error) {
    // Two processes creating it at once: the loser sees "already exists".
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/** Every database on the server of `url`. */
export async function listDatabases(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/** Drops `database` on the server of `url`, disconnecting whoever is still in it. */
export async function dropDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL Polku uses, in this order: `DATABASE_URL` when set (it must answer); the
 * machine's PostgreSQL on 127.0.0.1:5432 (database `polku`, created when missing), unless
 * `POLKU_OWN_POSTGRES` asks for Polku's own; else Polku's own cluster under `.polku/postgres`,
 * initialised and started with the machine's `initdb` and `pg_ctl` (as the unprivileged user
 * `postgres` when run as root; Debian's package is installed when they are missing).
 */
export async function ensurePostgres(config: InfraConfig, say: Say): Promise<PostgresState> {
  if (config.databaseUrl) {
    if (await postgresAnswers(config.databaseUrl)) return { url: config.databaseUrl, startedNow: false };
    throw new Error(`DATABASE_URL=${redactPassword(config.databaseUrl)} does not answer; start that PostgreSQL or unset DATABASE_URL`);
  }
  if (!config.ownPostgres && (await postgresAnswers(config.machinePostgresUrl))) {
    await createDatabaseIfMissing(config.machinePostgresUrl, config.databaseName);
    return { url: withDatabase(config.machinePostgresUrl, config.databaseName), startedNow: false };
  }
  return ensureOwnCluster(config, say);
}

/**
 * Where Polku's own cluster lives: `<state dir>/postgres`. As root the cluster runs as `postgres`,
 * who must be able to reach it; a state folder inside a private directory (a checkout under
 * `mktemp -d`, say) is not reachable, so the cluster then lives in a folder of its own under
 * /var/tmp, named after the state folder, which nobody else uses.
 */
function ownDirs(config: InfraConfig) {
  const reachable = !asRoot() || spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', config.stateDir]).status === 0;
  const home = reachable ? join(config.stateDir, 'postgres') : join('/var/tmp', `polku-postgres-${createHash('sha256').update(config.stateDir).digest('hex').slice(0, 12)}`);
  return { home, data: join(home, 'data'), socket: join(home, 'run'), log: join(home, 'postgres.log') };
}

function ownUrl(config: InfraConfig, database: string): string {
  return `postgres://postgres@127.0.0.1:${config.ownPostgresPort}/${database}`;
}

async function ensureOwnCluster(config: InfraConfig, say: Say): Promise<PostgresState> {
  const d = ownDirs(config);
  const url = ownUrl(config, config.databaseName);
  if (ownClusterPid(config) && (await postgresAnswers(ownUrl(config, 'postgres')))) {
    await createDatabaseIfMissing(url, config.databaseName);
    return { url, startedNow: false };
  }
  if (await portAnswers(config.ownPostgresPort)) {
    throw new Error(`port ${config.ownPostgresPort} is taken by a process Polku did not start; set POLKU_POSTGRES_PORT, or DATABASE_URL to use that PostgreSQL`);
  }
  const bin = postgresBinaries(say);
  mkdirSync(d.socket, { recursive: true });
  if (!existsSync(join(d.data, 'PG_VERSION'))) {
    say(`initialising Polku's own PostgreSQL cluster in ${d.data}`);
    mkdirSync(d.data, { recursive: true });
    handOver(d.home);
    runAsPostgres(join(bin, 'initdb'), ['-D', d.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], 'initdb');
  }
  handOver(d.socket);
  say(`starting Polku's own PostgreSQL on 127.0.0.1:${config.ownPostgresPort}; log: ${d.log}`);
  const options = `-p ${config.ownPostgresPort} -k ${d.socket} -c listen_addresses=127.0.0.1 -c fsync=on`;
  runAsPostgres(join(bin, 'pg_ctl'), ['-D', d.data, '-l', d.log, '-o', options, '-w', '-t', '60', 'start'], 'pg_ctl start');
  await createDatabaseIfMissing(url, config.databaseName);
  return { url, startedNow: true };
}

/** Stops Polku's own cluster if it runs; never any other PostgreSQL. */
export async function stopOwnPostgres(config: InfraConfig, say: Say, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  const pid = ownClusterPid(config);
  if (!pid) return;
  say(`stopping Polku's own PostgreSQL (pid ${pid})`);
  const bin = postgresBinaries(say);
  runAsPostgres(join(bin, 'pg_ctl'), ['-D', ownDirs(config).data, '-m', mode, '-w', '-t', '60', 'stop'], 'pg_ctl stop');
}

/** Stops Polku's own cluster and deletes it with every row: for tests that made one of their own. */
export async function destroyOwnPostgres(config: InfraConfig, say: Say): Promise<void> {
  await stopOwnPostgres(config, say, 'immediate');
  rmSync(ownDirs(config).home, { recursive: true, force: true });
}

/** The postmaster's pid of Polku's own cluster, when it runs. */
export function ownClusterPid(config: InfraConfig): number | undefined {
  const file = join(ownDirs(config).data, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** Where initdb and pg_ctl are: on the PATH, else Debian's versioned folder, else installed. */
function postgresBinaries(say: Say): string {
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  const debian = () => {
    if (!existsSync('/usr/lib/postgresql')) return undefined;
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    return versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(join(dir, 'initdb')));
  };
  const found = debian();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('no PostgreSQL answers and initdb is not installed; install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL');
  say('installing PostgreSQL from Debian packages');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
  const installed = debian();
  if (!installed) throw new Error('PostgreSQL was installed but initdb was not found under /usr/lib/postgresql');
  return installed;
}

const asRoot = () => process.getuid?.() === 0;

/** initdb and pg_ctl refuse to run as root: as root they run as the system user `postgres`. */
function runAsPostgres(command: string, args: string[], what: string): void {
  const options: SpawnSyncOptions = { encoding: 'utf8', cwd: '/' };
  const result = asRoot() ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], options) : spawnSync(command, args, options);
  if (result.error || result.status !== 0) {
    throw new Error(`${what} failed (${result.error?.message ?? `exit ${result.status}`})\n${String(result.stdout ?? '')}${String(result.stderr ?? '')}`);
  }
}

/** As root, the cluster's folders belong to `postgres`, who runs it. */
function handOver(dir: string): void {
  if (!asRoot()) return;
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (ids.status !== 0) throw new Error('running as root needs the system user postgres (Debian\'s postgresql package creates it)');
  const [uid, gid] = [Number(ids.stdout), Number(gids.stdout)];
  const walk = (path: string) => {
    chownSync(path, uid, gid);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(path, entry.name));
      else chownSync(join(path, entry.name), uid, gid);
    }
  };
  walk(dir);
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(not a URL)';
  }
}
