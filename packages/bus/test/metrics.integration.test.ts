import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PolkuError } from '@polku/service-kit';
import { metricsText, setLagSnapshotOptions } from '@polku/telemetry';
import type { Bus } from '../src/index';
import { freshTopic, rawTransport, referralSubmitted, testBus, unique, waitFor } from './helpers';

/** The value of the one sample of `name` whose labels include all of `labels`; undefined if none. */
async function sample(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = (await metricsText()).split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('bus metrics on the real broker', () => {
  let bus: Bus;
  beforeAll(() => setLagSnapshotOptions({ ttlMs: 0, deadlineMs: 5000 }));
  afterEach(() => bus?.close());

  it('shows a lagging group, then its handled and dead-lettered records, per topic, type, group and code', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'metrics');
    const group = unique('group');
    const [held, behind] = [referralSubmitted(), referralSubmitted()];
    const invalid = { ...referralSubmitted(), data: { needCodes: [] } };
    const producer = rawTransport().producer();
    await producer.connect();
    await producer.send(topic, [{ key: invalid.subject, value: JSON.stringify(invalid), headers: {} }]);
    await producer.disconnect();
    await bus.publishMany(topic, [held!, behind!]);
    expect(await sample('polku_events_published_total', { topic, type: 'fi.polku.referral.submitted.v1' })).toBe(2);

    let release: () => void = () => {};
    const holding = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const consumer = await bus.consume({
      groupId: group, topics: [topic], fromBeginning: true,
      handler: async (event) => {
        if (event.id === held!.id) await holding;
        handled.push(event.id);
      },
    });

    // The invalid record is dead-lettered and committed; the held one and the one behind it are the lag.
    await waitFor(async () => (await sample('polku_kafka_consumer_lag', { group, topic, partition: '0' })) === 2, 20_000, 'a lag of 2 on /metrics');
    expect(await sample('polku_events_dead_lettered_total', { topic, group, code: 'EVENT_INVALID' })).toBe(1);
    expect(await sample('polku_events_consumed_total', { topic, group, type: 'unreadable', outcome: 'dead_lettered' })).toBe(1);

    release();
    await waitFor(() => handled.length === 2, 20_000, 'both events handled');
    await waitFor(async () => (await sample('polku_kafka_consumer_lag', { group, topic, partition: '0' })) === 0, 20_000, 'no lag on /metrics');
    expect(await sample('polku_events_consumed_total', { topic, group, type: 'fi.polku.referral.submitted.v1', outcome: 'handled' })).toBe(2);
    expect(await sample('polku_event_handler_duration_seconds_count', { group, type: 'fi.polku.referral.submitted.v1' })).toBe(2);

    await consumer.stop();
    expect(await sample('polku_kafka_consumer_lag', { group })).toBeUndefined();
  });

  it('counts a dead letter written by hand under the worker that gave up', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'manual');
    const by = unique('worker');
    await bus.deadLetter(topic, referralSubmitted(), { error: new PolkuError('DELIVERY_FAILED', 'gave up'), attempts: 5, firstFailureAt: new Date(), by });
    expect(await sample('polku_events_dead_lettered_total', { topic, group: by, code: 'DELIVERY_FAILED' })).toBe(1);
  });

  it('shows the lag of a group read outside consume once watched, until the bus closes', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'raw');
    const group = unique('raw-group');
    await bus.publish(topic, referralSubmitted());
    bus.watchLag(group, [topic]);
    // Nothing committed yet: everything in the log is lag.
    expect(await sample('polku_kafka_consumer_lag', { group, topic, partition: '0' })).toBe(1);
    await bus.close();
    expect(await sample('polku_kafka_consumer_lag', { group })).toBeUndefined();
  });
});
