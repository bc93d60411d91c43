import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InfraConfig } from './config';
import { commandLine, livePid, stopProcess } from './processes';

export interface RedisState {
  url: string;
  startedNow: boolean;
}

/** True when a Redis answers PING at the URL (host and port only; no auth locally). */
export function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
    socket.once('error', () => done(false));
  });
}

function dirs(config: InfraConfig) {
  const home = join(config.stateDir, 'redis');
  return { home, pidFile: join(home, 'redis.pid'), log: join(home, 'redis.log') };
}

/**
 * The Redis of Polku's queues: REDIS_URL when set (it must answer); otherwise Polku's own
 * redis-server on loopback, with an append-only file (`appendfsync everysec`) under
 * `.polku/redis` and no eviction, so queued jobs survive its restart. The machine's Redis on 6379
 * is not used: it keeps nothing on disk.
 */
export async function ensureRedis(config: InfraConfig, say: (line: string) => void): Promise<RedisState> {
  if (config.externalRedisUrl) {
    if (await redisAnswers(config.externalRedisUrl)) return { url: config.externalRedisUrl, startedNow: false };
    throw new Error(`REDIS_URL=${config.externalRedisUrl} does not answer; start that Redis or unset REDIS_URL`);
  }
  const own = `redis://127.0.0.1:${config.ownRedisPort}`;
  const d = dirs(config);
  const pid = livePid(d.pidFile);
  if (await redisAnswers(own)) {
    if (pid && commandLine(pid).includes('redis-server')) return { url: own, startedNow: false };
    throw new Error(`port ${config.ownRedisPort} is taken by a Redis Polku did not start; set POLKU_REDIS_PORT, or REDIS_URL to use that Redis`);
  }
  installRedisServerIfMissing(say);
  mkdirSync(d.home, { recursive: true });
  say(`starting Polku's own redis-server on ${own} (append-only file in ${d.home})`);
  const result = spawnSync('redis-server', [
    '--port', String(config.ownRedisPort), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', d.pidFile, '--logfile', d.log, '--dir', d.home,
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction',
  ], { stdio: 'inherit' });
  if (result.error || result.status !== 0) throw new Error(`redis-server did not start (${result.error?.message ?? `exit ${result.status}`})`);
  for (let i = 0; i < 100; i++) {
    if (await redisAnswers(own)) return { url: own, startedNow: true };
    await sleep(100);
  }
  throw new Error(`redis-server started but does not answer on ${own}; see ${d.log}`);
}

export async function stopOwnRedis(config: InfraConfig, say: (line: string) => void): Promise<void> {
  const d = dirs(config);
  const pid = livePid(d.pidFile);
  if (!pid || !commandLine(pid).includes('redis-server')) return;
  say(`stopping the Redis Polku started (pid ${pid})`);
  await stopProcess(pid, d.pidFile, 10_000);
}

function installRedisServerIfMissing(say: (line: string) => void): void {
  if (spawnSync('redis-server', ['--version']).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('no Redis answers and redis-server is not installed; install it (Debian: apt-get install redis-server) or set REDIS_URL');
  say('installing redis-server from Debian packages');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'redis-server']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

/** The same Redis as `url`, another of its numbered databases. */
export function withRedisDatabase(url: string, db: number): string {
  const next = new URL(url);
  next.pathname = `/${db}`;
  return next.href;
}

/** Empties one numbered database of a Redis (FLUSHDB), leaving the others alone. */
export async function flushRedisDatabase(url: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
