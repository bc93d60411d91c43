import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { newWebhookSecret, redisReplayCache, verifyWebhook, webhookHeaders, webhookSecretBytes, type ReplayCache } from './standard-webhooks';

// The replay cache is Redis, as the receivers run it: REDIS_URL, or the machine's own.
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
const seen: ReplayCache = redisReplayCache(redis, `webhook-test-${randomUUID()}`);
const body = JSON.stringify({ deliveryId: randomUUID(), status: 'accepted' });

/** What a check of the headers by the reference implementation (the `standardwebhooks` package) says. */
function referenceVerifies(secret: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

describe('Standard Webhooks, checked against the standard\'s own package', () => {
  afterAll(() => redis.quit());

  it('signs so that the reference implementation verifies it, with either secret while one is rotated', () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const headers = webhookHeaders({ id: `msg_${randomUUID()}`, body, secrets: [next, old] });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
    expect(referenceVerifies(old, headers)).toBe(true);
    expect(referenceVerifies(next, headers)).toBe(true);
    expect(referenceVerifies(newWebhookSecret(), headers)).toBe(false);
  });

  it('takes a webhook the reference implementation signed, once: the same id again is a replay', async () => {
    const secret = newWebhookSecret();
    const id = `msg_${randomUUID()}`;
    const now = new Date();
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, now, body) };
    await expect(verifyWebhook({ headers, body, secrets: [newWebhookSecret(), secret], seen })).resolves.toMatchObject({ id });
    await expect(verifyWebhook({ headers, body, secrets: [secret], seen })).rejects.toMatchObject({ code: 'WEBHOOK_REPLAYED', status: 401 });
  });

  it('refuses one unsigned, stale, changed or signed with another secret, and remembers none of them', async () => {
    const secret = newWebhookSecret();
    const id = `msg_${randomUUID()}`;
    const signed = webhookHeaders({ id, body, secrets: [secret] });
    const refusal = (headers: Record<string, string>, options: { body?: string; secrets?: string[]; now?: Date } = {}) =>
      verifyWebhook({ headers, body: options.body ?? body, secrets: options.secrets ?? [secret], seen, ...(options.now ? { now: options.now } : {}) }).then(() => 'taken', (error: { code: string; status: number }) => `${error.status} ${error.code}`);
    expect(await refusal({ 'webhook-id': id, 'webhook-timestamp': signed['webhook-timestamp']! })).toBe('401 WEBHOOK_UNSIGNED');
    expect(await refusal(signed, { now: new Date(Date.now() + 301_000) })).toBe('401 WEBHOOK_STALE');
    expect(await refusal(signed, { body: body.replace('accepted', 'declined') })).toBe('401 WEBHOOK_SIGNATURE_INVALID');
    expect(await refusal(signed, { secrets: [newWebhookSecret()] })).toBe('401 WEBHOOK_SIGNATURE_INVALID');
    // None of those used the id up: the genuine one is still taken.
    expect(await refusal(signed)).toBe('taken');
  });

  it('knows a secret only in the standard\'s form', () => {
    expect(webhookSecretBytes(newWebhookSecret())).toHaveLength(32);
    expect(() => webhookSecretBytes('a-shared-secret')).toThrow(/whsec_/);
  });
});
