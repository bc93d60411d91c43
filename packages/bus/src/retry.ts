import { PolkuError } from '@polku/service-kit';

export interface BackoffOptions {
  /** Wait before the second attempt. @defaultValue 100 */
  initialMs?: number;
  /** Longest wait between attempts. @defaultValue 5000 */
  maxMs?: number;
}

export type RetryOutcome =
  | { status: 'succeeded'; attempts: number }
  | { status: 'failed'; attempts: number; error: unknown; firstFailureAt: Date }
  /** Stopped while waiting for the next attempt: the work is neither done nor given up. */
  | { status: 'aborted'; attempts: number };

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts: number;
  backoff: Required<BackoffOptions>;
  /** Called at least every `heartbeatEveryMs` while waiting, so a long backoff keeps group membership. */
  heartbeat: () => Promise<void>;
  signal: AbortSignal;
  /** @defaultValue 1000 */
  heartbeatEveryMs?: number;
  onFailure?: (error: unknown, attempt: number, willRetry: boolean) => void;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped at `maxMs`. */
export function backoffDelay(attempt: number, backoff: Required<BackoffOptions>): number {
  const exponential = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/** A PolkuError that says `retryable: false` is not tried again; any other error is. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof PolkuError) || error.retryable;
}

/**
 * A PolkuError with status 503 says one of Polku's own dependencies (its database, the consent
 * service) is not available right now and nothing was changed. The event is fine; dead-lettering it
 * would lose it (a projection would skip it for good), so it is tried again until the dependency is
 * back, however long that takes, holding its partition meanwhile as every other event would fail too.
 */
export function isDependencyDown(error: unknown): boolean {
  return error instanceof PolkuError && error.status === 503 && error.retryable;
}

/**
 * Runs `work` until it succeeds, fails for good, or `signal` aborts a wait between attempts.
 * `maxAttempts` bounds failures of the work itself; a dependency that is down does not count.
 */
export async function runWithRetry(work: (attempt: number) => Promise<void>, options: RetryOptions): Promise<RetryOutcome> {
  let firstFailureAt: Date | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await work(attempt);
      return { status: 'succeeded', attempts: attempt };
    } catch (error) {
      firstFailureAt ??= new Date();
      const willRetry = isDependencyDown(error) || (attempt < options.maxAttempts && isRetryable(error));
      options.onFailure?.(error, attempt, willRetry);
      if (!willRetry) return { status: 'failed', attempts: attempt, error, firstFailureAt };
    }
    const waited = await waitWithHeartbeat(backoffDelay(attempt, options.backoff), options);
    if (!waited) return { status: 'aborted', attempts: attempt };
  }
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
async function waitWithHeartbeat(ms: number, options: RetryOptions): Promise<boolean> {
  const slice = options.heartbeatEveryMs ?? 1000;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (options.signal.aborted) return false;
    await sleep(Math.min(slice, until - Date.now()), options.signal);
    if (options.signal.aborted) return false;
    await options.heartbeat();
  }
  return !options.signal.aborted;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
