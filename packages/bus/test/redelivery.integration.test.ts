import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../src/index';
import { testEnv } from './env';
import { freshTopic, referralSubmitted, testBus, unique, waitFor } from './helpers';

const FIXTURE = fileURLToPath(new URL('./fixtures/handle-then-die.ts', import.meta.url));

/** Runs the fixture in its own Node process and resolves with the signal that ended it. */
function runUntilKilled(args: string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal ? resolve(signal) : reject(new Error(`fixture exited with ${code}: ${stderr}`))));
  });
}

describe('redelivery', () => {
  let bus: Bus;
  let redis: Redis;
  afterEach(async () => {
    await bus?.close();
    await redis?.quit();
  });

  it('does not handle an event twice when the consumer died after handling but before committing', async () => {
    redis = new Redis(testEnv().redisUrl);
    bus = testBus({ redis });
    const topic = await freshTopic(bus, 'redelivery');
    const groupId = unique('group');
    const listKey = unique('handled');
    const [first, sentinel] = [referralSubmitted(), referralSubmitted()];
    await bus.publish(topic, first!);

    expect(await runUntilKilled([topic, groupId, listKey])).toBe('SIGKILL');
    expect(await redis.lrange(listKey, 0, -1)).toEqual([first!.id]);
    expect((await bus.lag(groupId, [topic]))[0]?.committedOffset).toBeNull();

    const duplicates: string[] = [];
    await bus.consume({
      groupId, topics: [topic], fromBeginning: true,
      handler: async (event) => void (await redis.rpush(listKey, event.id)),
      hooks: { afterDuplicate: (event) => void duplicates.push(event.id) },
    });
    await bus.publish(topic, sentinel!);

    await waitFor(async () => (await redis.llen(listKey)) === 2, 40_000, 'the sentinel event');
    expect(await redis.lrange(listKey, 0, -1)).toEqual([first!.id, sentinel!.id]);
    expect(duplicates).toEqual([first!.id]);
    await redis.del(listKey);
  });
});
