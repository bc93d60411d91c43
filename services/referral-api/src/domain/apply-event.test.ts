import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accepted, delivered, MLL, referralEvent, routed, SCHOOL, SETTLEMENT, submitted } from '../testing/referral-events';
import { applyEvent } from './apply-event';
import type { StatusRecord } from './status-record';

function project(...events: ReturnType<typeof submitted>[]): StatusRecord | undefined {
  return events.reduce<StatusRecord | undefined>((record, event) => applyEvent(record, event), undefined);
}

describe('the status projection', () => {
  const id = randomUUID();

  it('starts a record at submitted with the submitter and time', () => {
    const record = project(submitted(id));
    expect(record).toMatchObject({ referralId: id, state: 'submitted', submitterOrganisationId: 'jyvaskyla-education', submittedAt: '2026-03-02T08:00:00.000Z', readers: [] });
    expect(record?.timeline.map((e) => e.type)).toEqual(['submitted']);
  });

  it('follows the lifecycle, keeps who was involved, and lets the routed organisations read', () => {
    const record = project(submitted(id), routed(id), delivered(id), accepted(id))!;
    expect(record.state).toBe('accepted');
    expect(record.lead).toEqual(SETTLEMENT);
    expect(record.readers).toEqual(['keski-suomen-setlementti', 'mll-keski-suomi']);
    expect(record.timeline.map((e) => e.type)).toEqual(['submitted', 'routed', 'delivered', 'accepted']);
    expect(record.timeline[1]).toMatchObject({ lead: SETTLEMENT, coWorkers: [MLL] });
    expect(record.timeline[2]).toMatchObject({ recipient: SETTLEMENT });
    expect(record.timeline[3]).toMatchObject({ by: SETTLEMENT });
  });

  it('records timers in the timeline without changing the state', () => {
    const breach = referralEvent('sla-breached', id, { sla: 'acceptance', responsible: SETTLEMENT, dueAt: '2026-03-05T08:00:00.000Z', detectedAt: '2026-03-05T08:00:01.000Z' });
    const record = project(submitted(id), routed(id), breach)!;
    expect(record.state).toBe('routed');
    expect(record.timeline.at(-1)).toMatchObject({ type: 'sla-breached', sla: 'acceptance', by: SETTLEMENT, dueAt: '2026-03-05T08:00:00.000Z' });
  });

  it('keeps reasons as codes for declined and closed, and follows a handoff to the new lead', () => {
    const declined = referralEvent('declined', id, { by: SETTLEMENT, reasonCode: 'no-capacity', declinedAt: new Date().toISOString() });
    const forwarded = referralEvent('forwarded', id, { from: SETTLEMENT, to: SCHOOL, forwardedAt: new Date().toISOString() });
    const closed = referralEvent('closed', id, { reason: 'helped', closedBy: SCHOOL, closedAt: new Date().toISOString() });
    const record = project(submitted(id, 'laukaa-education'), routed(id), declined, forwarded, closed)!;
    expect(record.state).toBe('closed');
    expect(record.lead).toEqual(SCHOOL);
    expect(record.readers).toContain('jyvaskyla-education');
    expect(record.timeline.slice(2)).toMatchObject([
      { type: 'declined', by: SETTLEMENT, reasonCode: 'no-capacity' },
      { type: 'forwarded', from: SETTLEMENT, to: SCHOOL },
      { type: 'closed', by: SCHOOL, reasonCode: 'helped' },
    ]);
  });

  it('shows delivery attempts when the event carries them', () => {
    const event = delivered(id);
    (event.data as Record<string, unknown>)['attempts'] = 4;
    expect(project(submitted(id), routed(id), event)?.timeline.at(-1)).toMatchObject({ type: 'delivered', attempts: 4 });
  });

  it('ignores an event it has already applied, and events that are not referral lifecycle events', () => {
    const route = routed(id);
    const once = project(submitted(id), route)!;
    expect(applyEvent(once, route)).toBe(once);
    const other = { ...route, type: 'fi.polku.delivery.succeeded.v1' };
    expect(applyEvent(once, other)).toBe(once);
  });

  it('does not change the record it is given', () => {
    const before = project(submitted(id))!;
    const copy = structuredClone(before);
    applyEvent(before, routed(id));
    expect(before).toEqual(copy);
  });
});
