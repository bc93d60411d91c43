import { describe, expect, it } from 'vitest';
import { loadRetentionSchedule } from './retention';
import { loadTopicDeclarations } from './topics';

describe('the retention schedule (infra/retention.json)', () => {
  const schedule = loadRetentionSchedule();
  const topics = loadTopicDeclarations();

  it('gives every kind a period, a legal ground and what enforces it', () => {
    for (const kind of schedule) {
      expect(kind.retention, kind.kind).not.toBe('');
      expect(kind.legalGround, kind.kind).toMatch(/GDPR|703\/2023/);
      expect(kind.enforcedBy, kind.kind).not.toBe('');
      // Unsure is said so, never left silent.
      if (!kind.confirmed) expect(`${kind.legalGround} ${kind.retention} ${kind.enforcedBy}`, kind.kind).toMatch(/confirmed by the data-protection officer|NOT automated/);
    }
    expect(schedule.map((k) => k.kind)).toEqual(expect.arrayContaining(['vault-details', 'referral-events', 'consent-events', 'delivery-events', 'disclosure-log', 'api-keys', 'api-key-audit']));
  });

  it('names every topic, and each topic\'s retention in topics.json is the schedule\'s', () => {
    for (const topic of topics) {
      const kind = schedule.find((k) => k.topic === topic.name || (k.topicPrefix !== undefined && topic.name.startsWith(k.topicPrefix)));
      expect(kind, `${topic.name} has no kind in retention.json`).toBeDefined();
      expect(topic.retentionMs, topic.name).toBe(kind!.retentionMs);
    }
  });

  it('keeps dead letters as the schedule says', () => {
    const deadLetters = schedule.find((k) => k.topicSuffix === '.dlq')!;
    for (const topic of topics.filter((t) => !t.retryFor)) expect(topic.deadLetter?.retentionMs, `${topic.name}.dlq`).toBe(deadLetters.retentionMs);
  });

  it('keeps the disclosure log past the two years a resident may ask about', () => {
    expect(schedule.find((k) => k.kind === 'disclosure-log')!.retentionMs).toBeGreaterThan(2 * 365 * 24 * 3600 * 1000);
  });
});
