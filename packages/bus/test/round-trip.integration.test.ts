import { afterEach, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polku/contracts';
import { CLOUDEVENTS_CONTENT_TYPE, EVENT_HEADERS, type Bus, type HandlerContext } from '../src/index';
import { freshTopic, readRecords, referralSubmitted, testBus, unique, waitFor } from './helpers';

describe('publish and consume', () => {
  let bus: Bus;
  afterEach(() => bus?.close());

  it('delivers a published event to a handler, keyed by subject, with trace headers, and commits it', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'round-trip');
    const groupId = unique('group');
    const event = referralSubmitted();
    const received: { event: CloudEvent; context: HandlerContext }[] = [];
    await bus.consume({ groupId, topics: [topic], fromBeginning: true, handler: async (e, context) => void received.push({ event: e, context }) });

    await bus.publish(topic, event);

    await waitFor(() => received.length === 1);
    expect(received[0]?.event).toEqual(event);
    expect(received[0]?.context).toMatchObject({ topic, partition: 0, offset: '0', attempt: 1 });
    expect(received[0]?.context.headers[EVENT_HEADERS.traceparent]).toBe(event.traceparent);

    const [record] = await readRecords(topic, 1);
    expect(record?.key?.toString()).toBe(event.subject);
    expect(record?.headers).toMatchObject({
      [EVENT_HEADERS.contentType]: CLOUDEVENTS_CONTENT_TYPE,
      [EVENT_HEADERS.id]: event.id,
      [EVENT_HEADERS.type]: event.type,
      [EVENT_HEADERS.correlationId]: event.correlationid,
      [EVENT_HEADERS.traceparent]: event.traceparent,
    });

    await waitFor(async () => (await bus.lag(groupId))[0]?.lag === 0, 10_000, 'the commit');
    expect(await bus.lag(groupId)).toEqual([{ groupId, topic, partition: 0, committedOffset: '1', endOffset: '1', lag: 0 }]);
  });

  it('refuses to publish an event that breaks its contract, naming paths but not values, and sends nothing', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'refused');
    const valid = referralSubmitted();
    const invalid = { ...valid, data: { ...valid.data, municipalityCode: 179, secretName: 'Aino Virtanen' } };

    const failure = await bus.publish(topic, invalid).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'EVENT_INVALID', retryable: false });
    const message = (failure as Error).message;
    expect(message).toContain('/data/municipalityCode');
    expect(message).toContain('/data/secretName');
    expect(message).not.toContain('Aino');
    expect(message).not.toContain('179');
    await bus.publish(topic, valid);
    const records = await readRecords(topic, 1);
    expect(JSON.parse(records[0]?.value?.toString() ?? '{}')).toMatchObject({ id: valid.id });
  });

  it('reports lag per partition for a group that is behind', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'lag', 2);
    const groupId = unique('group');
    const handled: string[] = [];
    const consumer = await bus.consume({ groupId, topics: [topic], fromBeginning: true, handler: async (e) => void handled.push(e.id) });
    await bus.publish(topic, referralSubmitted());
    await waitFor(() => handled.length === 1);
    await consumer.stop();
    await bus.publishMany(topic, [referralSubmitted(), referralSubmitted(), referralSubmitted()]);

    const rows = await bus.lag(groupId, [topic]);

    expect(rows.map((r) => r.partition)).toEqual([0, 1]);
    expect(rows.reduce((sum, r) => sum + r.lag, 0)).toBe(3);
    expect(rows.reduce((sum, r) => sum + Number(r.endOffset), 0)).toBe(4);
  });
});
