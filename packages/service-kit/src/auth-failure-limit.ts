import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import { withDeadline } from './deadline';
import { PolkuError } from './errors';

/** How many failed authentications a client may make before it is turned away for a while. */
export interface AuthFailureLimit {
  /** The service's own Redis (REDIS_URL); the counters live there, shared by every instance. */
  redisUrl: string;
  /** Failed authentications per client (IP address) per window. @defaultValue 20 */
  max?: number;
  /** @defaultValue 60000 (a minute) */
  windowMs?: number;
  /** Where the counters go in Redis, e.g. the service name and namespace. @defaultValue 'polku-auth-failures:' */
  keyPrefix?: string;
  /** Deadline of each Redis call; past it the limit is not applied (fail open). @defaultValue 500 */
  redisTimeoutMs?: number;
}

export class TooManyAuthFailures extends PolkuError {
  constructor(retryAfterSeconds: number) {
    super('TOO_MANY_AUTH_FAILURES', 'Too many failed authentications from this client; wait before trying again', { status: 429, retryAfterSeconds, retryable: true });
  }
}

/** What the auth hook asks: may this client try, and count one failure. */
export interface AuthFailureCounter {
  /** Throws TooManyAuthFailures when the client has used up its failures. */
  check(request: FastifyRequest): Promise<void>;
  /** One failed authentication of this client. */
  failed(request: FastifyRequest): Promise<void>;
}

const WARN_EVERY_MS = 60_000;

/**
 * `@fastify/rate-limit` with its Redis store, used as a counter of failed authentications only
 * (a peek before, an increment after a failure): a client with a valid key is never slowed by
 * others' traffic. When Redis is down or slow the limit fails open, with a warning at most once a
 * minute: refusing every caller because a cache is away would stop the backbone (principle 9).
 */
export function registerAuthFailureLimit(app: FastifyInstance, limit: AuthFailureLimit): AuthFailureCounter {
  const redis = new Redis(limit.redisUrl, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis.on('error', () => {}); // each failed call is handled below
  const timeoutMs = limit.redisTimeoutMs ?? 500;
  let warnedAt = 0;
  const failOpen = (error: unknown) => {
    if (Date.now() - warnedAt < WARN_EVERY_MS) return;
    warnedAt = Date.now();
    app.log.warn({ err: { message: (error as Error).message } }, 'auth failure limit not applied: Redis did not answer');
  };
  void app.register(rateLimit, {
    global: false,
    max: limit.max ?? 20,
    timeWindow: limit.windowMs ?? 60_000,
    redis,
    nameSpace: limit.keyPrefix ?? 'polku-auth-failures:',
    skipOnError: false,
  });
  // Connected before the first request where Redis answers (a command is never queued); a start
  // does not wait for a Redis that is away.
  app.addHook('onReady', async () => {
    if (redis.status === 'ready') return;
    await withDeadline(new Promise<void>((resolve) => redis.once('ready', () => resolve())), 2_000, 'redis (auth failure limit)').catch(failOpen);
  });
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  let limiter: ReturnType<FastifyInstance['createRateLimit']> | undefined;
  const ask = async (request: FastifyRequest, increment: boolean) => {
    limiter ??= app.createRateLimit();
    try {
      return await withDeadline(limiter(request, { increment }), timeoutMs, 'redis (auth failure limit)');
    } catch (error) {
      failOpen(error);
      return undefined;
    }
  };
  return {
    async check(request) {
      const status = await ask(request, false);
      if (status && !status.isAllowed && status.remaining === 0) throw new TooManyAuthFailures(Math.max(1, status.ttlInSeconds));
    },
    async failed(request) {
      await ask(request, true);
    },
  };
}
