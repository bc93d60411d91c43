import type { Redis } from 'ioredis';
import type { StatusRecord } from '../domain/status-record';
import type { DeliveryAttempts } from '../domain/status-view';

/**
 * The status projection in Redis: one JSON record per referral (from the referral topic) and
 * one hash of delivery attempts per referral (from the delivery topic). Two keys, so the two
 * topics' events, handled concurrently, never overwrite each other.
 */
export interface StatusStore {
  get(referralId: string): Promise<{ record: StatusRecord; attempts: DeliveryAttempts } | undefined>;
  getRecord(referralId: string): Promise<StatusRecord | undefined>;
  putRecord(record: StatusRecord): Promise<void>;
  putAttempts(referralId: string, deliveryId: string, attempts: number): Promise<void>;
}

const PREFIX = 'polku:referral-status:';
const attemptsKey = (referralId: string) => `${PREFIX}${referralId}:delivery-attempts`;

export function redisStatusStore(redis: Redis): StatusStore {
  async function getRecord(referralId: string): Promise<StatusRecord | undefined> {
    const raw = await redis.get(PREFIX + referralId);
    return raw === null ? undefined : (JSON.parse(raw) as StatusRecord);
  }
  return {
    getRecord,
    async get(referralId) {
      const [record, hash] = await Promise.all([getRecord(referralId), redis.hgetall(attemptsKey(referralId))]);
      if (!record) return undefined;
      return { record, attempts: Object.fromEntries(Object.entries(hash).map(([id, n]) => [id, Number(n)])) };
    },
    async putRecord(record) {
      await redis.set(PREFIX + record.referralId, JSON.stringify(record));
    },
    async putAttempts(referralId, deliveryId, attempts) {
      await redis.hset(attemptsKey(referralId), deliveryId, attempts);
    },
  };
}
