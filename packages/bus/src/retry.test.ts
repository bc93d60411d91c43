import { describe, expect, it } from 'vitest';
import { PolkuError } from '@polku/service-kit';
import { backoffDelay, runWithRetry, type RetryOptions } from './retry';

const fast = { initialMs: 1, maxMs: 4 };

function options(overrides: Partial<RetryOptions> = {}): RetryOptions {
  return { maxAttempts: 3, backoff: fast, heartbeat: async () => {}, signal: new AbortController().signal, ...overrides };
}

describe('backoffDelay', () => {
  it('doubles from initialMs, stays between half and all of the step, and never exceeds maxMs', () => {
    const backoff = { initialMs: 100, maxMs: 5000 };
    for (let i = 0; i < 200; i++) {
      expect(backoffDelay(1, backoff)).toBeGreaterThanOrEqual(50);
      expect(backoffDelay(1, backoff)).toBeLessThanOrEqual(100);
      expect(backoffDelay(3, backoff)).toBeGreaterThanOrEqual(200);
      expect(backoffDelay(3, backoff)).toBeLessThanOrEqual(400);
      expect(backoffDelay(30, backoff)).toBeLessThanOrEqual(5000);
    }
  });
});

describe('runWithRetry', () => {
  it('tries again until the work succeeds', async () => {
    const seen: number[] = [];
    const outcome = await runWithRetry(async (attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw new Error('flaky');
    }, options());
    expect(outcome).toEqual({ status: 'succeeded', attempts: 3 });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts with the last error and the time of the first failure', async () => {
    const before = Date.now();
    const outcome = await runWithRetry(async (attempt) => {
      throw new PolkuError('DOWN', `attempt ${attempt}`, { retryable: true });
    }, options());
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, error: { message: 'attempt 3' } });
    expect(outcome.status === 'failed' && outcome.firstFailureAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('keeps trying past maxAttempts while a dependency is down (503), and succeeds once it is back', async () => {
    const outcome = await runWithRetry(async (attempt) => {
      if (attempt < 8) throw new PolkuError('DATABASE_UNAVAILABLE', 'restarting', { status: 503, retryable: true, retryAfterSeconds: 5 });
    }, options({ maxAttempts: 3 }));
    expect(outcome).toEqual({ status: 'succeeded', attempts: 8 });
  });

  it('does not retry a PolkuError marked retryable: false', async () => {
    let calls = 0;
    const outcome = await runWithRetry(async () => {
      calls++;
      throw new PolkuError('GONE', 'will never work');
    }, options({ maxAttempts: 5 }));
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('heartbeats while it waits, and stops waiting as soon as it is aborted', async () => {
    const abort = new AbortController();
    let heartbeats = 0;
    const started = Date.now();
    setTimeout(() => abort.abort(), 120);
    const outcome = await runWithRetry(async () => {
      throw new Error('down');
    }, options({ backoff: { initialMs: 10_000, maxMs: 10_000 }, heartbeatEveryMs: 20, heartbeat: async () => void heartbeats++, signal: abort.signal }));
    expect(outcome).toEqual({ status: 'aborted', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(heartbeats).toBeGreaterThanOrEqual(3);
  });
});
