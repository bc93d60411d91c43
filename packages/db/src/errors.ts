import { PolkuError } from '@polku/service-kit';

/**
 * PostgreSQL did not answer in time, refused the connection, or went away mid-query. HTTP
 * answers it as 503 with `Retry-After`; consumers and jobs retry it.
 */
export class DatabaseUnavailable extends PolkuError {
  constructor(cause: unknown) {
    super('DATABASE_UNAVAILABLE', 'The database is not available right now; nothing was changed. Retry shortly', { status: 503, retryable: true, retryAfterSeconds: 5, cause });
  }
}

// SQLSTATE classes and codes that say "the server is not there for you now", not "your query is wrong":
// 08 connection exceptions, 53 insufficient resources, 57P01–57P03 shutdown or starting up,
// 57014 cancelled by statement_timeout.
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]$|57014$)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES = [/timeout exceeded when trying to connect/i, /Connection terminated/i, /Query read timeout/i, /Client has encountered a connection error/i, /Connection ended/i];

/** Whether an error from the pg client means the database is unavailable (rather than a bug). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** Rethrows unavailability as DatabaseUnavailable, anything else as it is. */
export function translate(error: unknown): never {
  throw isUnavailable(error) && !(error instanceof DatabaseUnavailable) ? new DatabaseUnavailable(error) : error;
}
