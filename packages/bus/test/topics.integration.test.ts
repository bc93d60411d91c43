import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from '../src/index';
import { rawTransport, testBus, unique } from './helpers';

describe('ensureTopics', () => {
  let bus: Bus;
  afterEach(() => bus?.close());

  it('creates missing topics with their dead-letter topics, and does nothing the second time', async () => {
    bus = testBus();
    const name = unique('ensure');
    const definitions = [{ name, partitions: 3, cleanupPolicy: 'compact' as const, retentionMs: -1, keyedBy: 'consent id', deadLetter: { retentionMs: 86_400_000 } }];

    expect(await bus.ensureTopics(definitions)).toEqual([name, `${name}.dlq`]);
    expect(await bus.ensureTopics(definitions)).toEqual([]);

    const admin = rawTransport().admin();
    await admin.connect();
    try {
      expect(await admin.fetchTopicOffsets(name)).toHaveLength(3);
      expect(await admin.fetchTopicOffsets(`${name}.dlq`)).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });
});
