/**
 * Whether an error a handler did not expect is a dependency being away rather than a bug: a
 * network error, a Kafka client error its client marks retriable, Redis' connection giving up.
 * Those answer 503 with Retry-After (docs/architecture.md, principle 9), never a 500.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

export function isDependencyFailure(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown; retriable?: unknown; cause?: unknown } | null | undefined;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS') && e.retriable === true) return true;
  if (e.name === 'MaxRetriesPerRequestError' || e.message === 'Connection is closed.') return true;
  return e.cause !== undefined && e.cause !== error && isDependencyFailure(e.cause);
}
