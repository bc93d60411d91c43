import { Redis } from 'ioredis';
import { PolkuError, type Logger } from '@polku/service-kit';

/** A Redis that may drop keys under memory pressure would drop queued jobs: refused at start. */
export class RedisEvicts extends PolkuError {
  constructor(policy: string) {
    super('REDIS_EVICTS_KEYS', `Redis evicts keys (maxmemory-policy ${policy}); queued jobs would vanish. Set maxmemory-policy noeviction, or use Polku's own Redis`, { retryable: false });
  }
}

export interface QueueRedisOptions {
  url: string;
  logger: Logger;
  /** Connecting and each command give up after this long (BullMQ's blocking reads excepted). @defaultValue 2000 */
  connectTimeoutMs?: number;
}

/** Reads a setting with CONFIG GET, or from INFO where a managed Redis disables CONFIG. */
async function setting(redis: Redis, name: string, infoSection: string, infoField: string): Promise<string | undefined> {
  try {
    const pair = (await redis.config('GET', name)) as string[];
    if (pair.length >= 2) return pair[1];
  } catch {
    // CONFIG may be renamed or disabled
  }
  const info = await redis.info(infoSection);
  return new RegExp(`^${infoField}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * The connection a service's BullMQ queues and workers share (`maxRetriesPerRequest: null`, as
 * BullMQ's blocking reads need), after checking the Redis behind it: one that evicts keys is
 * refused; one that keeps nothing on disk is used with a warning (a restart then loses the jobs
 * until the service rebuilds them from its projections).
 */
export async function openQueueRedis(options: QueueRedisOptions): Promise<Redis> {
  const redis = new Redis(options.url, { maxRetriesPerRequest: null, connectTimeout: options.connectTimeoutMs ?? 2000 });
  redis.on('error', (err) => options.logger.debug({ err }, 'queue Redis connection error (ioredis reconnects)'));
  try {
    const policy = (await setting(redis, 'maxmemory-policy', 'memory', 'maxmemory_policy')) ?? 'noeviction';
    if (policy !== 'noeviction') throw new RedisEvicts(policy);
    const aof = await setting(redis, 'appendonly', 'persistence', 'aof_enabled');
    const save = await setting(redis, 'save', 'persistence', 'rdb_saves');
    if ((aof === 'no' || aof === '0') && !save) {
      options.logger.warn({ redis: new URL(options.url).host }, 'Redis keeps nothing on disk: a restart loses queued jobs until they are rebuilt from the projections; Polku\'s own Redis (npm run infra:up) keeps an append-only file');
    }
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}
