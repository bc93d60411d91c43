/** What the host needs to know of an error to time the next attempt. */
interface MaybeRetryAfter {
  retryAfterMs?: number;
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
  /** @defaultValue Math.random */
  random?: () => number;
}

/**
 * Wait before attempt `attemptsMade + 1`: what the system asked for (Retry-After), else
 * exponential with full jitter, so many deliveries failing together do not retry together.
 * Both are capped at `maxMs`.
 */
export function nextDelayMs(attemptsMade: number, error: unknown, settings: BackoffSettings): number {
  const asked = (error as MaybeRetryAfter | undefined)?.retryAfterMs;
  if (typeof asked === 'number' && Number.isFinite(asked) && asked >= 0) return Math.min(asked, settings.maxMs);
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.floor((settings.random ?? Math.random)() * ceiling);
}
