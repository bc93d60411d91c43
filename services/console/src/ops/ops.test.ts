import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolkuError } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import type { ConsumerHandle } from '@polku/bus';
import { TOPICS } from '@polku/contracts';
import { startConsoleHarness, type ConsoleHarness } from '../testing/harness';
import { referralStory, type Story } from '../testing/story';

describe('lag and queues (real broker, Redis and PostgreSQL)', () => {
  let h: ConsoleHarness;
  let story: Story;
  let stuck: ConsumerHandle;
  const routed = () => story.events.find((e) => e.type === 'fi.polku.referral.routed.v1')!;

  beforeAll(async () => {
    h = await startConsoleHarness();
    story = referralStory();
    await h.publish(story.events);
    await h.projection.caughtUp();
    // A group whose handler cannot get past the routed event (its dependency "is down"): its
    // partition waits there, so the routed event is the oldest it has not consumed.
    stuck = await h.bus.consume({
      groupId: 'stuck-router',
      topics: [TOPICS.referral],
      fromBeginning: true,
      backoff: { initialMs: 50, maxMs: 200 },
      handler: async (event) => {
        if (event.id === routed().id) throw new PolkuError('DATABASE_UNAVAILABLE', 'a stand-in for a database that is down', { status: 503, retryable: true });
      },
    });
  });

  afterAll(async () => {
    await stuck?.stop();
    await h?.close();
  });

  it('gives each group its lag per partition and the age of the oldest unconsumed event', async () => {
    const group = await eventually(async () => {
      const { body } = await h.get('/v1/lag');
      const found = body.groups.find((g: { groupId: string }) => g.groupId === 'stuck-router');
      return found?.partitions.some((p: { committedOffset: string | null; lag: number }) => p.committedOffset !== null && p.lag > 0) ? found : undefined;
    }, 'the stuck group has committed up to the routed event');
    const partition = group.partitions.find((p: { lag: number }) => p.lag > 0);
    // submitted was consumed; routed, delivered and sla-breached wait on the referral's partition.
    expect(partition).toMatchObject({ topic: TOPICS.referral, lag: 3, oldestUnconsumedAt: new Date(routed().time).toISOString() });
    expect(partition.oldestUnconsumedAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(group.oldestUnconsumedAgeSeconds).toBe(partition.oldestUnconsumedAgeSeconds);
    const { body } = await h.get('/v1/lag', h.keys.auditor);
    expect(body.groups.map((g: { groupId: string }) => g.groupId)).toContain('projection.console.g1');
  });

  it('counts waiting, active, delayed and failed jobs per adapter and per timer kind with BullMQ', async () => {
    const deliveries = new Queue('polku-deliveries', { connection: h.redis, prefix: h.queuePrefix });
    const sla = new Queue('polku-router-sla', { connection: h.redis, prefix: h.queuePrefix });
    await deliveries.add('education.school', {}, { jobId: 'd1' });
    await deliveries.add('education.school', {}, { jobId: 'd2', delay: 3_600_000 });
    await deliveries.add('ngo.webhook', {}, { jobId: 'd3', delay: 3_600_000 });
    await sla.add('sla', {}, { jobId: 'sla-1', delay: 3_600_000 });
    await Promise.all([deliveries.close(), sla.close()]);
    const { status, body } = await h.get('/v1/queues');
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.queues.map((q: { queue: string }) => [q.queue, q]));
    expect(byName['polku-deliveries']).toMatchObject({
      kind: 'delivery', service: 'adapter-host', counts: { waiting: 1, active: 0, delayed: 2, failed: 0 },
      byAdapter: { 'education.school': { waiting: 1, delayed: 1 }, 'ngo.webhook': { waiting: 0, delayed: 1 } }, byAdapterPartial: false,
    });
    expect(byName['polku-router-sla']).toMatchObject({ kind: 'timer', timerKind: 'sla', counts: { delayed: 1, waiting: 0 } });
    expect(byName['polku-router-follow-up']).toMatchObject({ timerKind: 'follow-up', counts: { waiting: 0, active: 0, delayed: 0, failed: 0 } });
    expect(byName['polku-consent-expiry']).toMatchObject({ timerKind: 'consent-expiry' });
  });

  it('answers operators and auditors only', async () => {
    for (const url of ['/v1/lag', '/v1/queues', '/v1/alerts']) {
      expect((await h.get(url, h.keys.submitter)).body, url).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
  });
});
