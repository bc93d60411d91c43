import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { openQueueRedis, watchForWipe } from '../src/index';

const lines: string[] = [];
const logger = createLogger({ service: 'queues-test', level: 'debug', destination: new Writable({ write: (chunk, _e, done) => void (lines.push(chunk.toString()), done()) }) });
const servers: ChildProcess[] = [];
afterAll(() => servers.forEach((s) => s.kill('SIGKILL')));

/** A redis-server of the test's own, configured as given, on a free port. */
async function redisServer(...args: string[]): Promise<string> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...args], { stdio: 'ignore' });
  servers.push(server);
  const url = `redis://127.0.0.1:${port}`;
  await eventually(async () => {
    try {
      const r = await openQueueRedis({ url, logger }).catch((e: { code?: string }) => (e.code === 'REDIS_EVICTS_KEYS' ? 'evicts' : undefined));
      if (r && typeof r !== 'string') r.disconnect();
      return r ? true : undefined;
    } catch {
      return undefined;
    }
  }, `redis-server on ${port}`, 10_000);
  return url;
}

describe('the queue Redis', () => {
  it('is refused when it evicts keys', async () => {
    const url = await redisServer('--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru', '--appendonly', 'yes');
    await expect(openQueueRedis({ url, logger })).rejects.toMatchObject({ code: 'REDIS_EVICTS_KEYS' });
  });

  it('is used with a warning when it keeps nothing on disk, and without one when it keeps an append-only file', async () => {
    const volatile = await redisServer('--appendonly', 'no');
    lines.length = 0;
    (await openQueueRedis({ url: volatile, logger })).disconnect();
    expect(lines.some((l) => l.includes('keeps nothing on disk'))).toBe(true);
    const durable = await redisServer('--appendonly', 'yes', '--dir', '/tmp');
    lines.length = 0;
    (await openQueueRedis({ url: durable, logger })).disconnect();
    expect(lines.some((l) => l.includes('keeps nothing on disk'))).toBe(false);
  });

  it('notices being emptied while the service runs, and rebuilds once per emptying', async () => {
    const redis = await openQueueRedis({ url: process.env['REDIS_URL']!, logger });
    const key = `test:queues:${randomUUID()}:alive`;
    let rebuilt = 0;
    const watch = watchForWipe({ redis, key, logger, everyMs: 50, onWiped: async () => (rebuilt += 1) });
    try {
      await eventually(async () => (await redis.exists(key)) === 1 || undefined, 'the marker written');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rebuilt).toBe(0);
      await redis.del(key); // as FLUSHALL would, for this service's keys only
      await eventually(() => rebuilt === 1 || undefined, 'the rebuild');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(rebuilt).toBe(1);
    } finally {
      await watch.stop();
      await redis.del(key);
      redis.disconnect();
    }
  });
});
