import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after';

const now = new Date('2025-03-10T08:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => expect(parseRetryAfter('120', now)).toBe(120_000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Mon, 10 Mar 2025 08:00:30 GMT', now)).toBe(30_000));
  it('makes a date in the past 0', () => expect(parseRetryAfter('Mon, 10 Mar 2025 07:00:00 GMT', now)).toBe(0));
  it.each([null, undefined, '', 'soon', '-5', '1.5'])('ignores %s', (value) => expect(parseRetryAfter(value, now)).toBeUndefined());
});
