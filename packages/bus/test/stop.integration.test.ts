import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../src/index';
import { freshTopic, referralSubmitted, testBus, unique, waitFor } from './helpers';

describe('stopping a consumer', () => {
  let bus: Bus;
  afterEach(() => bus?.close());

  it('lets the running handler finish and commits it, so the group does not get the event again', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'stop');
    const groupId = unique('group');
    const [slow, later] = [referralSubmitted(), referralSubmitted()];
    const steps: string[] = [];
    await bus.publish(topic, slow!);
    const consumer = await bus.consume({
      groupId, topics: [topic], fromBeginning: true,
      handler: async (event) => {
        steps.push(`started ${event.id}`);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        steps.push(`finished ${event.id}`);
      },
    });
    await waitFor(() => steps.length === 1);

    await consumer.stop();
    steps.push('stopped');

    expect(steps).toEqual([`started ${slow!.id}`, `finished ${slow!.id}`, 'stopped']);
    expect((await bus.lag(groupId, [topic]))[0]).toMatchObject({ committedOffset: '1', lag: 0 });
    // Without dedupe, only the commit can keep the event from coming back.
    const secondRun: string[] = [];
    await bus.consume({ groupId, topics: [topic], fromBeginning: true, handler: async (e) => void secondRun.push(e.id) });
    await bus.publish(topic, later!);
    await waitFor(() => secondRun.length === 1);
    expect(secondRun).toEqual([later!.id]);
  });

  it('abandons a retry waiting for its backoff, leaving the event uncommitted for the next consumer', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'stop-retry');
    const groupId = unique('group');
    const event = referralSubmitted();
    let calls = 0;
    await bus.publish(topic, event);
    const consumer = await bus.consume({
      groupId, topics: [topic], fromBeginning: true, backoff: { initialMs: 30_000, maxMs: 30_000 },
      handler: async () => {
        calls++;
        throw new Error('downstream timeout');
      },
    });
    await waitFor(() => calls === 1);

    const before = Date.now();
    await consumer.stop();

    expect(Date.now() - before).toBeLessThan(5_000);
    expect((await bus.lag(groupId, [topic]))[0]).toMatchObject({ committedOffset: null, lag: 1 });
    const redelivered: string[] = [];
    await bus.consume({ groupId, topics: [topic], fromBeginning: true, handler: async (e) => void redelivered.push(e.id) });
    await waitFor(() => redelivered.length === 1);
    expect(redelivered).toEqual([event.id]);
  });
});
