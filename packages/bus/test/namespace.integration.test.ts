import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polku/contracts';
import { DEAD_LETTER_HEADERS, type Bus, type HandlerContext } from '../src/index';
import { rawTransport, readRecords, referralSubmitted, testBus, waitFor } from './helpers';

describe('a namespaced bus', () => {
  const namespace = `ns-${randomUUID().slice(0, 8)}`;
  const topic = `test.namespaced.${randomUUID()}`;
  let bus: Bus;
  afterAll(() => bus?.close());

  it('keeps its topics and groups under the namespace on the broker, and its users never see the prefix', async () => {
    bus = testBus({ namespace });
    expect(await bus.ensureTopics([{ name: topic, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]))
      .toEqual([topic, `${topic}.dlq`]);
    const admin = await bus.admin();
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
    expect((await admin.listTopics()).every((name) => !name.startsWith(`${namespace}.`))).toBe(true);

    const seen: Array<{ event: CloudEvent; context: HandlerContext }> = [];
    const consumer = await bus.consume({
      groupId: 'projection', topics: [topic], fromBeginning: true, maxAttempts: 1,
      handler: async (event, context) => {
        seen.push({ event, context });
        if (seen.length === 2) throw new Error('second event fails');
      },
    });
    const [first, second] = [referralSubmitted(), referralSubmitted()];
    await bus.publishMany(topic, [first, second]);
    await waitFor(() => seen.length === 2);
    expect(seen[0]!.context.topic).toBe(topic);

    // On the broker itself: the prefixed topic, group and dead-letter topic.
    const onBroker = await readRecords(`${namespace}.${topic}`, 2);
    expect(onBroker.map((r) => r.headers.ce_id)).toEqual([first.id, second.id]);
    const [deadLetter] = await readRecords(`${namespace}.${topic}.dlq`, 1);
    expect(deadLetter!.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe(topic);
    expect(deadLetter!.headers[DEAD_LETTER_HEADERS.consumerGroup]).toBe('projection');
    await waitFor(async () => (await bus.lag('projection', [topic])).every((row) => row.lag === 0));
    expect(await bus.lag('projection', [topic])).toEqual([expect.objectContaining({ groupId: 'projection', topic, lag: 0 })]);
    const raw = rawTransport().admin();
    await raw.connect();
    try {
      expect(await raw.listGroups()).toContain(`${namespace}.projection`);
    } finally {
      await raw.disconnect();
    }
    await consumer.stop();
  });

  it('deletes only its own topics and groups', async () => {
    const admin = await bus.admin();
    await admin.deleteGroups(await admin.listGroups());
    await admin.deleteTopics(await admin.listTopics());
    await waitFor(async () => (await admin.listTopics()).length === 0, 20_000, 'the namespace emptied');
    expect(await admin.listGroups()).toEqual([]);
  });
});
