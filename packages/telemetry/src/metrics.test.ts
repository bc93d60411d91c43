import { afterEach, describe, expect, it } from 'vitest';
import {
  countDeadLettered, countPublished, metricsText, observeHttpRequest, setLagSnapshotOptions, setOutboxSnapshotOptions, setQueueSnapshotOptions,
  startProcessMetrics, watchConsumerLag, watchOutbox, watchQueue, type CountableQueue,
} from './index';
import { counter } from './metrics-registry';
import { scrapeSnapshot } from './metrics-snapshot';

/** Sample lines of one metric, without HELP and TYPE. */
async function samples(name: string): Promise<string[]> {
  return (await metricsText()).split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

const never = () => new Promise<never>(() => {});

describe('the metrics registry', () => {
  afterEach(() => {
    setLagSnapshotOptions({});
    setQueueSnapshotOptions({});
    setOutboxSnapshotOptions({});
  });

  it('makes each metric once however often it is asked for (several apps in one process)', () => {
    const config = { name: 'polku_test_made_once_total', help: 'test' };
    expect(counter(config)).toBe(counter(config));
  });

  it('names the service on every series and adds the process metrics once, prefixed', async () => {
    startProcessMetrics({ service: 'unit-test' });
    startProcessMetrics({ service: 'unit-test' });
    countPublished('polku.referral', 'fi.polku.referral.submitted.v1');
    const text = await metricsText();
    expect(text).toContain('polku_process_cpu_seconds_total');
    expect(text).toContain('polku_nodejs_eventloop_lag_seconds');
    expect(await samples('polku_events_published_total')).toContainEqual(expect.stringContaining('service="unit-test"'));
  });

  it('counts HTTP requests by the route pattern it is given', async () => {
    observeHttpRequest({ method: 'GET', route: '/v1/referrals/:id', status: 404, seconds: 0.02 });
    const lines = await samples('polku_http_requests_total');
    expect(lines.some((l) => l.includes('route="/v1/referrals/:id"') && l.includes('status="404"') && l.includes('method="GET"'))).toBe(true);
    expect((await samples('polku_http_request_duration_seconds_count')).length).toBeGreaterThan(0);
  });

  it('counts dead letters by topic, group and error code', async () => {
    countDeadLettered({ topic: 'polku.referral', group: 'router', code: 'EVENT_INVALID' });
    countDeadLettered({ topic: 'polku.referral', group: 'router', code: 'EVENT_INVALID' });
    expect(await samples('polku_events_dead_lettered_total')).toContainEqual(expect.stringMatching(/topic="polku.referral",group="router",code="EVENT_INVALID".* 2$/));
  });

  it('reads consumer lag at scrape time, and forgets a source taken off', async () => {
    setLagSnapshotOptions({ ttlMs: 0 });
    const unwatch = watchConsumerLag(async () => [{ group: 'router', topic: 'polku.referral', partition: 3, lag: 42 }]);
    expect(await samples('polku_kafka_consumer_lag')).toContainEqual(expect.stringMatching(/group="router",topic="polku.referral",partition="3".* 42$/));
    expect(await samples('polku_metrics_source_fresh')).toContainEqual(expect.stringMatching(/source="kafka_lag".* 1$/));
    unwatch();
    expect(await samples('polku_kafka_consumer_lag')).toEqual([]);
  });

  it('answers at once with the last known lag when the broker does not (never a hung scrape)', async () => {
    setLagSnapshotOptions({ ttlMs: 0, deadlineMs: 50 });
    let frozen = false;
    const unwatch = watchConsumerLag(async () => (frozen ? never() : [{ group: 'g', topic: 't', partition: 0, lag: 7 }]));
    try {
      expect(await samples('polku_kafka_consumer_lag')).toContainEqual(expect.stringMatching(/ 7$/));
      frozen = true;
      expect(await samples('polku_kafka_consumer_lag')).toContainEqual(expect.stringMatching(/ 7$/));
      expect(await samples('polku_metrics_source_fresh')).toContainEqual(expect.stringMatching(/source="kafka_lag".* 0$/));
    } finally {
      unwatch();
    }
  });

  it('counts BullMQ jobs per queue and state through the queue\'s own counts', async () => {
    setQueueSnapshotOptions({ ttlMs: 0 });
    const queue: CountableQueue = { name: 'deliveries', getJobCounts: async () => ({ waiting: 2, delayed: 5, failed: 1 }) };
    const unwatch = watchQueue(queue);
    try {
      const lines = await samples('polku_queue_jobs');
      expect(lines).toContainEqual(expect.stringMatching(/queue="deliveries",state="delayed".* 5$/));
      expect(lines).toContainEqual(expect.stringMatching(/queue="deliveries",state="active".* 0$/));
    } finally {
      unwatch();
    }
  });

  it('shows the outbox backlog, its oldest row\'s age and whether this relay leads', async () => {
    setOutboxSnapshotOptions({ ttlMs: 0 });
    const unwatch = watchOutbox(async () => ({ unsent: 12, oldestUnsentSeconds: 90, leader: true }));
    try {
      expect(await samples('polku_outbox_unsent_events')).toContainEqual(expect.stringMatching(/ 12$/));
      expect(await samples('polku_outbox_oldest_unsent_age_seconds')).toContainEqual(expect.stringMatching(/ 90$/));
      expect(await samples('polku_outbox_relay_leader')).toContainEqual(expect.stringMatching(/ 1$/));
    } finally {
      unwatch();
    }
  });
});

describe('a scrape-time snapshot', () => {
  it('reuses a recent read, and never starts a second read while one is stuck', async () => {
    let reads = 0;
    let clock = 0;
    let release: (rows: number[]) => void = () => {};
    const sources = new Set(['only']);
    const snapshot = scrapeSnapshot(sources, () => {
      reads += 1;
      return new Promise<number[]>((resolve) => (release = resolve));
    }, { ttlMs: 1000, deadlineMs: 20, now: () => clock });

    expect(await snapshot()).toEqual({ rows: [], ok: false });
    expect(await snapshot()).toEqual({ rows: [], ok: false });
    expect(reads).toBe(1);
    release([1, 2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await snapshot()).toEqual({ rows: [1, 2], ok: true });
    clock = 500;
    expect(await snapshot()).toEqual({ rows: [1, 2], ok: true });
    expect(reads).toBe(1);
  });

  it('keeps the last good rows when a source fails, and says so', async () => {
    let fail = false;
    const snapshot = scrapeSnapshot(new Set(['a']), async () => {
      if (fail) throw new Error('broker away');
      return ['row'];
    }, { ttlMs: 0 });
    expect(await snapshot()).toEqual({ rows: ['row'], ok: true });
    fail = true;
    expect(await snapshot()).toEqual({ rows: ['row'], ok: false });
  });
});
