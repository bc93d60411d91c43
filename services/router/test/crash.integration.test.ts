import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedEventId } from '@polku/contracts';
import type { RunningRouter } from '../src/start-router';
import { dropQueueKeys, freshTopic, openHarness, publish, recordTopic, startTestRouter, submitted, unique, eventually, type Harness } from './helpers';

const BURST = 200;

/** Starts test/router-process.ts and resolves once its consumer has joined. */
async function routerProcess(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./router-process.ts', import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  await eventually(() => (out.includes('ready') ? true : undefined), 'the router process', 30_000);
  return child;
}

describe('a router killed with SIGKILL in the middle of a burst', () => {
  let h: Harness;
  let successor: RunningRouter | undefined;
  const queuePrefix = unique('q');

  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await successor?.stop();
    await dropQueueKeys(h.redis, queuePrefix);
    await h?.close();
  });

  it('routes every referral exactly once (one routed id each) and sets one deadline each, after a successor takes over', async () => {
    const topic = await freshTopic(h.bus, 6);
    const groupId = unique('router');
    const events = await recordTopic(h.bus, topic);
    const routed = () => events.filter((e) => e.type === 'fi.polku.referral.routed.v1');
    const child = await routerProcess([topic, groupId, queuePrefix, h.databaseUrl]);

    const burst = Array.from({ length: BURST }, () => submitted());
    for (let i = 0; i < BURST; i += 20) await Promise.all(burst.slice(i, i + 20).map((event) => publish(h.bus, topic, event)));
    await eventually(() => (routed().length >= BURST / 4 ? true : undefined), 'a quarter routed');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const routedAtKill = routed().length;

    const restartedAt = Date.now();
    successor = await startTestRouter(h, { topic, groupId, queuePrefix, partitionConcurrency: 6 });
    const ids = new Set(burst.map((e) => e.subject));
    await eventually(() => (new Set(routed().map((e) => e.subject)).size >= BURST ? true : undefined), 'every referral routed', 60_000);
    const takeOverMs = Date.now() - restartedAt;

    const byReferral = new Map<string, Set<string>>();
    for (const event of routed()) byReferral.set(event.subject, (byReferral.get(event.subject) ?? new Set()).add(event.id));
    expect([...byReferral.keys()].every((id) => ids.has(id))).toBe(true);
    for (const event of burst) expect([...(byReferral.get(event.subject) ?? [])]).toEqual([derivedEventId(event.id, 'routed')]);
    const timers = await Promise.all(burst.map((event) => successor!.timers.sla.describe(event.subject)));
    expect(timers.filter((t) => t?.state === 'delayed')).toHaveLength(BURST);
    // Written once each: a handling the kill cut short rolled back whole, its outbox rows with it.
    const { rows } = await h.db.query<{ subject: string; n: string }>(
      "SELECT event ->> 'subject' AS subject, count(*) AS n FROM outbox WHERE event ->> 'type' = 'fi.polku.referral.routed.v1' GROUP BY 1");
    expect(rows.filter((r) => ids.has(r.subject) && r.n === '1')).toHaveLength(BURST);
    expect(rows).toHaveLength(BURST);
    expect(routedAtKill).toBeLessThan(BURST); // the kill did land mid-burst
    expect(takeOverMs).toBeLessThan(30_000);
  }, 120_000);
});
