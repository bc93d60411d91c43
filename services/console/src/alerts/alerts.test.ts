import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerHandle } from '@polku/bus';
import { TOPICS } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { logger, startConsoleHarness, type ConsoleHarness } from '../testing/harness';
import { referralStory, type Story } from '../testing/story';
import type { AlertSettings } from './alert-settings';
import { startAlertEvaluator, type AlertEvaluator } from './alert-evaluator';

const SETTINGS: AlertSettings = {
  lagRecords: 0, lagMinutes: 5, deadLetterQuietMinutes: 15, slaWindowMinutes: 60, deliveryFailurePercent: 20, deliveryMinOutcomes: 2,
  deliveryWindowMinutes: 60, notReadyMinutes: 0, outboxRows: 1000, outboxAgeSeconds: 60,
};
const MINUTE = 60_000;

describe('alerts the console evaluates (real broker, Redis and PostgreSQL)', () => {
  let h: ConsoleHarness;
  let story: Story;
  let ready: Server;
  let evaluator: AlertEvaluator;
  const consumers: ConsumerHandle[] = [];

  beforeAll(async () => {
    h = await startConsoleHarness();
    story = referralStory();
    await h.publish(story.events);
    await h.projection.caughtUp();
    ready = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"up","checks":{}}'));
    await new Promise<void>((resolve) => ready.listen(0, '127.0.0.1', resolve));
    evaluator = startAlertEvaluator({
      db: h.db, bus: h.bus, logger, settings: SETTINGS, intervalMs: 3_600_000,
      services: { router: `http://127.0.0.1:${(ready.address() as AddressInfo).port}`, 'adapter-host': 'http://127.0.0.1:1' },
    });
  });

  afterAll(async () => {
    await evaluator?.stop();
    await Promise.all(consumers.map((c) => c.stop()));
    ready?.close();
    await h?.close();
  });

  const alerts = async (query = '') => (await h.get(`/v1/alerts${query}`)).body as { evaluatedAt: string; alerts: Array<{ key: string; state: string; since: string; value: number; detail: Record<string, unknown> }> };
  const byKey = (list: Awaited<ReturnType<typeof alerts>>) => Object.fromEntries(list.alerts.map((a) => [a.key, a]));

  it('fires on lag held for minutes, SLA breaches, failing deliveries, a service not ready and an old outbox; then on a growing dead-letter topic', async () => {
    // A group stuck at the routed event: it lags from now on.
    const routed = story.events.find((e) => e.type === 'fi.polku.referral.routed.v1')!;
    consumers.push(await h.bus.consume({
      groupId: 'stuck', topics: [TOPICS.referral], fromBeginning: true, backoff: { initialMs: 50, maxMs: 200 },
      handler: async (event) => {
        if (event.id === routed.id) throw new PolkuError('DATABASE_UNAVAILABLE', 'a stand-in for a database that is down', { status: 503, retryable: true });
      },
    }));
    await eventually(async () => ((await h.bus.lag('stuck')).some((row) => row.committedOffset !== null && row.lag > 0) ? true : undefined), 'the stuck group lags');
    await h.db.query(`INSERT INTO outbox (topic, message_key, event, created_at) VALUES ('polku.referral.events.v1', 'k', '{}', now() - interval '2 minutes')`);

    const t0 = new Date();
    await evaluator.evaluate(t0);
    let now = byKey(await alerts());
    expect(now['consumer-lag:stuck']).toMatchObject({ state: 'pending', value: 3 });
    expect(now['sla-breached:backbone']).toMatchObject({ state: 'firing', value: 1 });
    expect(now['delivery-failure-rate:backbone']).toMatchObject({ state: 'firing', value: 50, detail: { failed: 1, outcomes: 2 } });
    expect(now['service-not-ready:adapter-host']).toMatchObject({ state: 'firing', detail: { unreachable: 'connection failed' } });
    expect(now['service-not-ready:router']).toBeUndefined();
    expect(now['outbox-backlog:backbone']).toMatchObject({ state: 'firing', value: 1 });
    // Nothing dead-lettered yet: the topics are a baseline, not an alert.
    expect(Object.keys(now).filter((key) => key.startsWith('dead-letters-growing'))).toEqual([]);
    expect((await alerts('?state=resolved')).alerts.map((a) => a.key)).toContain(`dead-letters-growing:${TOPICS.referral}.dlq`);

    // A handler that refuses an event for good: it is dead-lettered.
    consumers.push(await h.bus.consume({
      groupId: 'refuser', topics: [TOPICS.referral], fromBeginning: true,
      handler: async (event) => {
        if (event.id === routed.id) throw new PolkuError('ROUTING_RULE_BROKEN', 'a stand-in for a bug', { retryable: false });
      },
    }));
    await eventually(async () => {
      const rows = await h.bus.lag('refuser');
      return rows.some((row) => row.committedOffset !== null) && rows.every((row) => row.lag === 0) ? true : undefined;
    }, 'the refuser has read everything');

    const t5 = new Date(t0.getTime() + 5 * MINUTE);
    await evaluator.evaluate(t5);
    now = byKey(await alerts('?state=firing'));
    expect(now['consumer-lag:stuck']).toMatchObject({ state: 'firing', since: t5.toISOString() });
    expect(now[`dead-letters-growing:${TOPICS.referral}.dlq`]).toMatchObject({ state: 'firing', value: 1, detail: { newSinceLastLook: 1 } });

    // Quiet for longer than the setting: the dead-letter topic no longer grows.
    const later = new Date(t5.getTime() + 16 * MINUTE);
    await evaluator.evaluate(later);
    expect(byKey(await alerts('?state=resolved'))[`dead-letters-growing:${TOPICS.referral}.dlq`]).toMatchObject({ since: later.toISOString() });
    expect((await alerts(`?since=${encodeURIComponent(new Date(later.getTime() + 1).toISOString())}`)).alerts).toEqual([]);
    expect((await alerts()).evaluatedAt).toBe(later.toISOString());
  });

  it('refuses a state it does not know', async () => {
    expect((await h.get('/v1/alerts?state=burning')).body).toMatchObject({ status: 400 });
  });
});
