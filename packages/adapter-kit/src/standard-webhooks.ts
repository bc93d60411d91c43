import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PolkuError } from '@polku/service-kit';

/**
 * Standard Webhooks (standardwebhooks.com): the headers every webhook carries, both ways. The id is
 * the receiver's idempotency key and stays the same across retries of one message.
 */
export const WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** A webhook signed more than this before or after now is refused, so a captured one cannot be sent again later. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** A new secret in the standard's form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The key bytes of a `whsec_` secret. @throws when it is not one (a setting's check names the setting). */
export function webhookSecretBytes(secret: string): Buffer {
  const key = secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.alloc(0);
  if (key.length < 24 || key.length > 64) throw new Error('a webhook secret is whsec_ followed by 24 to 64 bytes in base64');
  return key;
}

function signatureOf(secret: string, id: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', webhookSecretBytes(secret)).update(`${id}.${timestamp}.${body}`).digest();
}

/**
 * The headers of one webhook, signed with every secret given: while a secret is rotated, the new
 * and the old sign side by side (`v1,<sig> v1,<sig>`), and a receiver holding either accepts it.
 */
export function webhookHeaders(options: { id: string; body: string; secrets: readonly string[]; now?: Date }): Record<string, string> {
  if (options.secrets.length === 0) throw new Error('a webhook is signed with at least one secret');
  const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const signatures = options.secrets.map((secret) => `v1,${signatureOf(secret, options.id, timestamp, options.body).toString('base64')}`);
  return { [WEBHOOK_HEADERS.id]: options.id, [WEBHOOK_HEADERS.timestamp]: String(timestamp), [WEBHOOK_HEADERS.signature]: signatures.join(' ') };
}

/** Why a webhook was refused: always 401, as problem+json, and nothing it asked for is done. */
export class WebhookRefused extends PolkuError {
  constructor(code: 'WEBHOOK_UNSIGNED' | 'WEBHOOK_STALE' | 'WEBHOOK_SIGNATURE_INVALID' | 'WEBHOOK_REPLAYED', message: string) {
    super(code, message, { status: 401 });
  }
}

/** The ids of the webhooks already taken, kept past the tolerance so a replay within it is seen. */
export interface ReplayCache {
  /** True the first time an id is offered (and remembers it for `ttlSeconds`); false every time after. */
  firstSighting(id: string, ttlSeconds: number): Promise<boolean>;
}

/** The part of an ioredis client the replay cache uses. */
export interface RedisSetNx {
  set(key: string, value: string, expiry: 'EX', seconds: number, mode: 'NX'): Promise<'OK' | null>;
}

/** A replay cache in Redis: one key per id with `SET … NX EX`, shared by every instance of the receiver. */
export function redisReplayCache(redis: RedisSetNx, prefix: string): ReplayCache {
  return {
    firstSighting: async (id, ttlSeconds) => (await redis.set(`${prefix}:webhook-seen:${id}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK',
  };
}

export interface VerifyWebhookOptions {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: the signature covers its bytes. */
  body: string;
  /** The secrets the sender may sign with now (more than one while one is rotated). */
  secrets: readonly string[];
  seen: ReplayCache;
  /** @defaultValue now */
  now?: Date;
  /** @defaultValue {@link WEBHOOK_TOLERANCE_SECONDS} */
  toleranceSeconds?: number;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Checks a webhook the standard's way: signed, recent, signed with one of the secrets, and not seen
 * before. The id is remembered only once the signature holds, so nobody can use up an id unsigned.
 * @returns its id and when it was signed
 * @throws WebhookRefused
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<{ id: string; signedAt: Date }> {
  const id = single(options.headers[WEBHOOK_HEADERS.id]);
  const timestamp = Number(single(options.headers[WEBHOOK_HEADERS.timestamp]));
  const presented = (single(options.headers[WEBHOOK_HEADERS.signature]) ?? '').split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  if (!id || !Number.isInteger(timestamp) || presented.length === 0) throw new WebhookRefused('WEBHOOK_UNSIGNED', 'the webhook carries no webhook-id, webhook-timestamp and v1 webhook-signature');
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) throw new WebhookRefused('WEBHOOK_STALE', `the webhook was signed more than ${tolerance} seconds from now`);
  const matches = options.secrets.some((secret) => {
    const expected = signatureOf(secret, id, timestamp, options.body);
    return presented.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected));
  });
  if (!matches) throw new WebhookRefused('WEBHOOK_SIGNATURE_INVALID', 'no signature of the webhook holds for a secret of its sender');
  if (!(await options.seen.firstSighting(id, 2 * tolerance))) throw new WebhookRefused('WEBHOOK_REPLAYED', `webhook ${id} was taken already`);
  return { id, signedAt: new Date(timestamp * 1000) };
}
