import { describe, expect, it } from 'vitest';
import { RetryableDeliveryError } from '@polku/adapter-kit';
import { nextDelayMs } from './backoff';

const settings = { baseMs: 1000, maxMs: 60_000 };

describe('nextDelayMs', () => {
  it('grows exponentially with full jitter', () => {
    const top = { ...settings, random: () => 0.999_999 };
    expect([1, 2, 3, 4].map((n) => nextDelayMs(n, new Error('x'), top))).toEqual([999, 1999, 3999, 7999]);
    expect(nextDelayMs(3, new Error('x'), { ...settings, random: () => 0 })).toBe(0);
  });

  it('never waits longer than the cap', () => {
    expect(nextDelayMs(30, new Error('x'), { ...settings, random: () => 0.999_999 })).toBeLessThan(60_000);
  });

  it('waits as long as Retry-After asked, within the cap', () => {
    expect(nextDelayMs(1, new RetryableDeliveryError('429', { retryAfterMs: 7000 }), settings)).toBe(7000);
    expect(nextDelayMs(1, new RetryableDeliveryError('429', { retryAfterMs: 86_400_000 }), settings)).toBe(60_000);
  });
});
