import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { derivedEventId } from './derived-event-id';
import { validateEvent } from './validate-event';
import { createEvent } from './create-event';

describe('derivedEventId', () => {
  it('is the same for the same cause and purpose, and differs otherwise', () => {
    const cause = randomUUID();
    expect(derivedEventId(cause, 'routed')).toBe(derivedEventId(cause, 'routed'));
    expect(derivedEventId(cause, 'routed')).not.toBe(derivedEventId(cause, 'sla-breached'));
    expect(derivedEventId(randomUUID(), 'routed')).not.toBe(derivedEventId(cause, 'routed'));
  });

  it('is a UUID the envelope accepts', () => {
    const id = derivedEventId(randomUUID(), 'x');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const referralId = randomUUID();
    const event = createEvent('fi.polku.referral.cancelled.v1', { id, source: '/polku/test', subject: referralId, data: { referralId, reasonCode: 'duplicate', cancelledAt: new Date().toISOString() } });
    expect(validateEvent(event)).toMatchObject({ ok: true });
  });
});
