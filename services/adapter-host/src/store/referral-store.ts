import type { ReferralFacts } from '@polku/adapter-kit';
import type { Redis } from 'ioredis';
import type { DeliveryRecord } from '../domain/delivery-job';

/** Long enough for a referral to be closed months after it was delivered. */
const TTL_SECONDS = 400 * 24 * 3600;

/**
 * The host's own projection of the referral topic, in Redis: the routing facts of each
 * submitted referral and where it was delivered. Rebuildable by replaying the topic.
 */
export function referralStore(redis: Redis, prefix: string) {
  const factsKey = (referralId: string) => `${prefix}:adapter-host:referral:${referralId}`;
  const deliveriesKey = (referralId: string) => `${prefix}:adapter-host:deliveries:${referralId}`;
  return {
    async saveFacts(referralId: string, facts: ReferralFacts): Promise<void> {
      await redis.set(factsKey(referralId), JSON.stringify(facts), 'EX', TTL_SECONDS);
    },
    async facts(referralId: string): Promise<ReferralFacts | undefined> {
      const raw = await redis.get(factsKey(referralId));
      return raw ? (JSON.parse(raw) as ReferralFacts) : undefined;
    },
    async saveDelivery(referralId: string, record: DeliveryRecord): Promise<void> {
      await redis.multi().hset(deliveriesKey(referralId), record.deliveryId, JSON.stringify(record)).expire(deliveriesKey(referralId), TTL_SECONDS).exec();
    },
    /** The delivery a callback answers: the one it names, else the lead's, else the only one through that adapter. */
    async deliveryFor(referralId: string, adapterId: string, deliveryId?: string): Promise<DeliveryRecord | undefined> {
      const all = Object.values(await redis.hgetall(deliveriesKey(referralId))).map((raw) => JSON.parse(raw) as DeliveryRecord);
      const mine = all.filter((record) => record.adapterId === adapterId);
      if (deliveryId) return mine.find((record) => record.deliveryId === deliveryId);
      return mine.find((record) => record.role === 'lead') ?? (mine.length === 1 ? mine[0] : undefined);
    },
  };
}

export type ReferralStore = ReturnType<typeof referralStore>;
