import { afterEach, describe, expect, it } from 'vitest';
import { PolkuError } from '@polku/service-kit';
import { DEAD_LETTER_HEADERS as DLQ, EVENT_HEADERS, deadLetterTopicFor, type Bus } from '../src/index';
import { freshTopic, rawTransport, readRecords, referralSubmitted, testBus, unique, waitFor } from './helpers';

describe('dead letters', () => {
  let bus: Bus;
  afterEach(() => bus?.close());

  it('sends an invalid and an unparseable record straight to the dead-letter topic and keeps consuming', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'invalid');
    const groupId = unique('group');
    const valid = referralSubmitted();
    const invalid = { ...referralSubmitted(), data: { ...valid.data, needCodes: [] } };
    const producer = rawTransport().producer();
    await producer.connect();
    await producer.send(topic, [
      { key: invalid.subject, value: JSON.stringify(invalid), headers: { [EVENT_HEADERS.id]: invalid.id } },
      { key: 'garbage', value: '{"specversion": "1.0", ', headers: {} },
    ]);
    await producer.disconnect();
    await bus.publish(topic, valid);
    const handled: string[] = [];
    const started = new Date();

    await bus.consume({ groupId, topics: [topic], fromBeginning: true, handler: async (e) => void handled.push(e.id) });

    await waitFor(() => handled.length === 1);
    expect(handled).toEqual([valid.id]);
    const [first, second] = await readRecords(deadLetterTopicFor(topic), 2);
    expect(first?.key?.toString()).toBe(invalid.subject);
    expect(JSON.parse(first?.value?.toString() ?? '')).toEqual(invalid);
    expect(first?.headers).toMatchObject({
      [EVENT_HEADERS.id]: invalid.id,
      [DLQ.originalTopic]: topic,
      [DLQ.originalPartition]: '0',
      [DLQ.originalOffset]: '0',
      [DLQ.errorCode]: 'EVENT_INVALID',
      [DLQ.attempts]: '0',
      [DLQ.consumerGroup]: groupId,
    });
    expect(first?.headers[DLQ.errorMessage]).toContain('/data/needCodes');
    expect(Date.parse(first?.headers[DLQ.firstFailureAt] ?? '')).toBeGreaterThanOrEqual(started.getTime() - 1000);
    expect(second?.value?.toString()).toBe('{"specversion": "1.0", ');
    expect(second?.headers).toMatchObject({ [DLQ.originalOffset]: '1', [DLQ.errorCode]: 'EVENT_UNPARSEABLE', [DLQ.attempts]: '0' });
    await waitFor(async () => (await bus.lag(groupId))[0]?.lag === 0, 10_000, 'the commit');
  });

  it('dead-letters an event whose handler fails every time after the configured attempts, while later events flow', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'failing');
    const groupId = unique('group');
    const [poison, next, last] = [referralSubmitted(), referralSubmitted(), referralSubmitted()];
    const attempts: number[] = [];
    const handled: string[] = [];
    await bus.publishMany(topic, [poison!, next!, last!]);

    await bus.consume({
      groupId, topics: [topic], fromBeginning: true, maxAttempts: 3, backoff: { initialMs: 50, maxMs: 200 },
      handler: async (e, context) => {
        if (e.id !== poison!.id) return void handled.push(e.id);
        attempts.push(context.attempt);
        throw new PolkuError('SECTOR_UNAVAILABLE', 'school system answered 503', { retryable: true });
      },
    });

    await waitFor(() => handled.length === 2);
    expect(handled).toEqual([next!.id, last!.id]);
    expect(attempts).toEqual([1, 2, 3]);
    const [dead] = await readRecords(deadLetterTopicFor(topic), 1);
    expect(JSON.parse(dead?.value?.toString() ?? '')).toMatchObject({ id: poison!.id });
    expect(dead?.headers).toMatchObject({
      [DLQ.originalTopic]: topic,
      [DLQ.originalOffset]: '0',
      [DLQ.errorCode]: 'SECTOR_UNAVAILABLE',
      [DLQ.errorMessage]: 'school system answered 503',
      [DLQ.attempts]: '3',
      [EVENT_HEADERS.correlationId]: poison!.correlationid,
    });
    await waitFor(async () => (await bus.lag(groupId))[0]?.lag === 0, 10_000, 'the commit');
  });

  it('does not retry a handler error marked retryable: false', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'unrecoverable');
    const event = referralSubmitted();
    let calls = 0;
    await bus.publish(topic, event);

    await bus.consume({
      groupId: unique('group'), topics: [topic], fromBeginning: true, maxAttempts: 5,
      handler: async () => {
        calls++;
        throw new PolkuError('REFERRAL_UNKNOWN', 'no such referral in the vault', { retryable: false });
      },
    });

    const [dead] = await readRecords(deadLetterTopicFor(topic), 1);
    expect(dead?.headers).toMatchObject({ [DLQ.errorCode]: 'REFERRAL_UNKNOWN', [DLQ.attempts]: '1' });
    expect(calls).toBe(1);
  });
});
