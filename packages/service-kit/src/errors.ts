/**
 * The one error shape of Polku. Every error that crosses a module boundary is a
 * PolkuError (or a subclass) with a stable `code` (listed in docs/errors.md), an HTTP
 * status where one applies, and whether retrying the same operation can help.
 */
export class PolkuError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** With a 503 or 429: when to try again, sent as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, options: { status?: number; retryable?: boolean; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** The code of any thrown value: PolkuError codes as they are, anything else `INTERNAL`. */
export function errorCode(error: unknown): string {
  return error instanceof PolkuError ? error.code : 'INTERNAL';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
