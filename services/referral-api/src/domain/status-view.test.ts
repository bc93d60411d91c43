import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { delivered, routed, submitted } from '../testing/referral-events';
import { applyEvent } from './apply-event';
import type { StatusRecord } from './status-record';
import { statusView } from './status-view';

describe('the status view', () => {
  const id = randomUUID();
  const deliveryId = randomUUID();
  const record = [submitted(id), routed(id), delivered(id, undefined, deliveryId)].reduce<StatusRecord | undefined>(applyEvent, undefined)!;

  it('joins delivery attempts to the delivered step by delivery id', () => {
    const view = statusView(record, { [deliveryId]: 3, [randomUUID()]: 9 });
    expect(view.timeline.map((e) => e.attempts)).toEqual([undefined, undefined, 3]);
    expect(view).toMatchObject({ id, state: 'delivered', submittedAt: '2026-03-02T08:00:00.000Z' });
  });

  it('shows the step without attempts until they are known', () => {
    expect(statusView(record, {}).timeline[2]).not.toHaveProperty('attempts');
  });
});
