import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { IdempotencyInProgress, IdempotencyKeyReused } from '../errors';

/** The answer a retried submit gets again. */
export interface SubmitAnswer {
  id: string;
  status: 'submitted';
  links: { self: string };
}

export type Claim = { outcome: 'claimed' } | { outcome: 'replay'; answer: SubmitAnswer };

/**
 * Idempotency keys of submits, per caller organisation. A key is claimed (SET NX) before any
 * work, so two concurrent retries cannot both create a referral.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for a body with this fingerprint, or gives the answer stored under it.
   * @throws IdempotencyKeyReused when the key was used with another body
   * @throws IdempotencyInProgress when another request holds the key past the wait
   */
  claim(organisationId: string, key: string, fingerprint: string): Promise<Claim>;
  complete(organisationId: string, key: string, fingerprint: string, answer: SubmitAnswer): Promise<void>;
  /** Frees a claim whose work failed, so a retry can try again. */
  release(organisationId: string, key: string): Promise<void>;
}

export interface IdempotencyOptions {
  /** How long an answer is replayed. @defaultValue 86400 (24 h) */
  ttlSeconds?: number;
  /** How long a claim outlives a process that died holding it. @defaultValue 60 */
  claimTtlSeconds?: number;
  /** How long a concurrent retry waits for the holder's answer. @defaultValue 5000 */
  waitMs?: number;
}

interface Stored {
  fingerprint: string;
  answer?: SubmitAnswer;
}

export function redisIdempotencyStore(redis: Redis, options: IdempotencyOptions = {}): IdempotencyStore {
  const { ttlSeconds = 86_400, claimTtlSeconds = 60, waitMs = 5_000 } = options;
  const keyOf = (organisationId: string, key: string) => `polku:idempotency:${organisationId}:${key}`;

  async function claim(organisationId: string, key: string, fingerprint: string): Promise<Claim> {
    const redisKey = keyOf(organisationId, key);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const pending: Stored = { fingerprint };
      if ((await redis.set(redisKey, JSON.stringify(pending), 'EX', claimTtlSeconds, 'NX')) === 'OK') return { outcome: 'claimed' };
      const raw = await redis.get(redisKey);
      if (raw === null) continue; // the holder gave up between our SET and GET: claim again
      const stored = JSON.parse(raw) as Stored;
      if (stored.fingerprint !== fingerprint) throw new IdempotencyKeyReused();
      if (stored.answer) return { outcome: 'replay', answer: stored.answer };
      if (Date.now() >= deadline) throw new IdempotencyInProgress();
      await sleep(100);
    }
  }

  return {
    claim,
    async complete(organisationId, key, fingerprint, answer) {
      const stored: Stored = { fingerprint, answer };
      await redis.set(keyOf(organisationId, key), JSON.stringify(stored), 'EX', ttlSeconds);
    },
    async release(organisationId, key) {
      await redis.del(keyOf(organisationId, key));
    },
  };
}
