import { describe, expect, it } from 'vitest';
import { deadLetterTopicFor, topicsToCreate } from './topics';

describe('topicsToCreate', () => {
  it('adds a delete-policy <name>.dlq with its own retention next to a topic that asks for one', () => {
    const topics = topicsToCreate([
      { name: 'polku.consent.events.v1', partitions: 3, cleanupPolicy: 'compact', retentionMs: -1, keyedBy: 'consent id', deadLetter: { retentionMs: 7776000000 } },
      { name: 'polku.plain.v1', partitions: 1, cleanupPolicy: 'delete', retentionMs: 1000, keyedBy: 'referral id' },
    ]);
    expect(topics).toEqual([
      { name: 'polku.consent.events.v1', partitions: 3, configs: { 'cleanup.policy': 'compact', 'retention.ms': '-1' } },
      { name: 'polku.consent.events.v1.dlq', partitions: 3, configs: { 'cleanup.policy': 'delete', 'retention.ms': '7776000000' } },
      { name: 'polku.plain.v1', partitions: 1, configs: { 'cleanup.policy': 'delete', 'retention.ms': '1000' } },
    ]);
    expect(deadLetterTopicFor('a.b')).toBe('a.b.dlq');
  });
});
