import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { redisIdempotencyStore } from './idempotency-store';
import { withIdempotency } from './with-idempotency';

describe('idempotency keys', () => {
  const redis = new Redis(process.env['REDIS_URL']!);
  afterAll(() => redis.disconnect());
  const store = redisIdempotencyStore(redis, { waitMs: 300 });
  const answer = (id: string) => ({ id, status: 'submitted' as const, links: { self: `/v1/referrals/${id}` } });

  it('tells a retry that arrives while the first request is still working to come back', async () => {
    const key = randomUUID();
    expect(await store.claim('org-a', key, 'f1')).toEqual({ outcome: 'claimed' });
    await expect(store.claim('org-a', key, 'f1')).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS', status: 409 });
    await expect(store.claim('org-a', key, 'f2')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
  });

  it('frees the key when the work fails, so the retry does the work', async () => {
    const scope = { organisationId: 'org-a', key: randomUUID(), fingerprint: 'f1' };
    await expect(withIdempotency(store, scope, () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect(await withIdempotency(store, scope, async () => answer('a'))).toEqual({ answer: answer('a'), replayed: false });
    expect(await withIdempotency(store, scope, async () => answer('b'))).toEqual({ answer: answer('a'), replayed: true });
  });

  it('keeps the stored answer for 24 hours', async () => {
    const scope = { organisationId: 'org-b', key: randomUUID(), fingerprint: 'f1' };
    await withIdempotency(store, scope, async () => answer('c'));
    const ttl = await redis.ttl(`polku:idempotency:org-b:${scope.key}`);
    expect(ttl).toBeGreaterThan(86_000);
  });
});
