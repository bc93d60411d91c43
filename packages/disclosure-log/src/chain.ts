import { createHash } from 'node:crypto';
import { canonicalBytes } from './canonical';

/** The hash before a partition's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The next link of a partition's chain: SHA-256 over the previous hash (32 bytes) and the entry
 * in RFC 8785 canonical form, as lower-case hex. Deterministic: the same log always gives the
 * same chain, whichever sealer computes it and however often.
 */
export function chainHash(previousHash: string, entry: unknown): string {
  if (!/^[0-9a-f]{64}$/.test(previousHash)) throw new TypeError('previous hash must be 64 hex digits');
  return createHash('sha256').update(Buffer.from(previousHash, 'hex')).update(canonicalBytes(entry)).digest('hex');
}

/**
 * A record value as the chain takes it: the JSON it holds, or, when it is not JSON (nothing a
 * Polku writer produces), the base64 of its bytes as a JSON string, so that every record on the
 * log is chained and none can hide by being malformed. A record without a value is `null`.
 */
export function entryOf(value: Buffer | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value.toString('utf8')) as unknown;
  } catch {
    return value.toString('base64');
  }
}
