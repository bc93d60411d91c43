import { describe, expect, it } from 'vitest';
import { buildTrace, type IndexedEvent } from './build-trace';
import { eventRow } from './event-row';
import { referralStory } from '../testing/story';

/** The story's events as the index gives them back, offsets counting up per topic. */
function indexed(): { story: ReturnType<typeof referralStory>; events: IndexedEvent[] } {
  const story = referralStory();
  const offsets = new Map<string, number>();
  const events = story.events.map((event) => {
    const topic = event.type.split('.')[2]!;
    const offset = offsets.get(topic) ?? 0;
    offsets.set(topic, offset + 1);
    const row = eventRow(event, { topic, partition: 0, offset: String(offset) });
    return { eventId: row.eventId, type: row.type, topic, partition: 0, offset: String(offset), time: row.time, referralId: row.referralId, consentId: row.consentId,
      correlationId: row.correlationId, causationId: row.causationId, deliveryId: row.deliveryId, codes: row.codes, disclosure: row.disclosure };
  });
  return { story, events };
}

describe('a trace built from the index', () => {
  it('orders the events by time whatever order they were read in', () => {
    const { story, events } = indexed();
    const trace = buildTrace(story.referralId, { events: [...events].reverse(), timers: [], jobs: [] }, 'operator');
    expect(trace.events.map((e) => e.eventId)).toEqual(story.events.map((e) => e.id));
  });

  it('says a delivery is delivered before its outcome is known, and uses the job for its attempts so far', () => {
    const { story, events } = indexed();
    const early = events.filter((e) => !e.type.startsWith('fi.polku.delivery.'));
    const job = { deliveryId: story.deliveredDelivery, state: 'active', attemptsMade: 1, createdAt: null, lastAttemptAt: null, finishedAt: null };
    const trace = buildTrace(story.referralId, { events: early, timers: [], jobs: [job] }, 'operator');
    expect(trace.deliveries).toEqual([expect.objectContaining({ deliveryId: story.deliveredDelivery, status: 'delivered', attempts: 1, job: expect.objectContaining({ state: 'active' }) })]);
  });

  it('gives an auditor the disclosure entries and an operator none', () => {
    const { story, events } = indexed();
    expect(JSON.stringify(buildTrace(story.referralId, { events, timers: [], jobs: [] }, 'operator'))).not.toContain(story.subjectRef);
    const auditor = buildTrace(story.referralId, { events, timers: [], jobs: [] }, 'auditor');
    expect(auditor.disclosures.map((d) => (d as { entry?: { subjectRef?: string } }).entry?.subjectRef)).toEqual([story.subjectRef, story.subjectRef]);
  });

  it('names the router timers by what they mean to an operator', () => {
    const { story, events } = indexed();
    const timers = [{ kind: 'sla' as const, state: 'stopped' as const, dueAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }];
    expect(buildTrace(story.referralId, { events, timers, jobs: [] }, 'operator').timers.held).toEqual([expect.objectContaining({ kind: 'sla', state: 'cancelled' })]);
  });
});
