import { describe, expect, it } from 'vitest';
import { formatHelsinki, helsinkiDate, helsinkiInstant } from './helsinki-time';

describe('Helsinki time', () => {
  it('puts office close at 14:00 UTC in winter and 13:00 UTC in summer', () => {
    expect(helsinkiInstant('2026-03-28', '16:00').toISOString()).toBe('2026-03-28T14:00:00.000Z');
    expect(helsinkiInstant('2026-03-30', '16:00').toISOString()).toBe('2026-03-30T13:00:00.000Z');
    expect(helsinkiInstant('2026-10-26', '16:00').toISOString()).toBe('2026-10-26T14:00:00.000Z');
  });

  it('moves a wall time inside the spring-forward gap an hour on', () => {
    expect(formatHelsinki(helsinkiInstant('2026-03-29', '03:30'))).toBe('2026-03-29T04:30:00+03:00');
  });

  it('tells the two 03:30s of the autumn switch apart by offset', () => {
    expect(formatHelsinki(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25T03:30:00+03:00');
    expect(formatHelsinki(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T03:30:00+02:00');
  });

  it('dates an instant by the Helsinki calendar', () => {
    expect(helsinkiDate(new Date('2025-12-31T22:30:00Z'))).toBe('2026-01-01');
    expect(helsinkiDate(new Date('2025-12-31T21:59:59Z'))).toBe('2025-12-31');
  });

  it('rejects a malformed time', () => {
    expect(() => helsinkiInstant('2026-01-01', '4pm')).toThrow(RangeError);
  });
});
