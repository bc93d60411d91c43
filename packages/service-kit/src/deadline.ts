import { PolkuError } from './errors';

/** A call to a dependency did not finish within its deadline. */
export class DeadlineExceeded extends PolkuError {
  constructor(what: string, ms: number) {
    super('DEADLINE_EXCEEDED', `${what} did not answer within ${ms} ms`, { status: 503, retryable: true });
  }
}

/**
 * Resolves as `work` does, or rejects with DeadlineExceeded after `ms`: for calls whose client
 * has no deadline of its own (or one too long for the caller). The work itself is not cancelled.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
