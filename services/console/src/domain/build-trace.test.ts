import { describe, expect, it } from 'vitest';
import { buildTrace, type AttemptRow, type IndexedEvent } from './build-trace';
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

  it('lists every attempt of a delivery in the order it ran, and a delivery under way from its attempts alone', () => {
    const { story, events } = indexed();
    const underWay = '6c1f7c3e-2b1a-4c52-9a57-3f1e2d4c5b6a';
    const row = (deliveryId: string, attempt: number, startedAt: string, outcome: AttemptRow['outcome'], httpStatus: number | null, errorCode: string | null = null): AttemptRow =>
      ({ deliveryId, adapterId: 'education.school', attempt, startedAt, endedAt: startedAt, outcome, errorCode, httpStatus });
    const attempts = [
      row(story.deliveredDelivery, 2, '2026-12-01T10:00:05.000Z', 'delivered', 202),
      row(story.deliveredDelivery, 1, '2026-12-01T10:00:01.000Z', 'failed-retrying', 503, 'DELIVERY_RETRYABLE'),
      row(underWay, 1, '2026-12-01T10:00:02.000Z', 'not-ready', null, 'DETAILS_NOT_READY'),
    ];
    const trace = buildTrace(story.referralId, { events, timers: [], jobs: [], attempts }, 'operator');
    const byId = Object.fromEntries(trace.deliveries.map((d) => [d.deliveryId, d]));
    expect(byId[story.deliveredDelivery]!.attemptLog).toEqual([
      { attempt: 1, startedAt: '2026-12-01T10:00:01.000Z', endedAt: '2026-12-01T10:00:01.000Z', outcome: 'failed-retrying', errorCode: 'DELIVERY_RETRYABLE', externalHttpStatus: 503 },
      { attempt: 2, startedAt: '2026-12-01T10:00:05.000Z', endedAt: '2026-12-01T10:00:05.000Z', outcome: 'delivered', externalHttpStatus: 202 },
    ]);
    expect(byId[story.failedDelivery]!.attemptLog).toEqual([]);
    expect(byId[underWay]).toMatchObject({ status: 'queued', adapterId: 'education.school', attemptLog: [{ attempt: 1, outcome: 'not-ready', errorCode: 'DETAILS_NOT_READY' }], events: [] });
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
