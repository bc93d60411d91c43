import type { ReferralFacts } from '@polku/adapter-kit';
import type { Redis } from 'ioredis';
import type { DeliveryRecord } from '../domain/delivery-job';
import type { DisclosureSubject } from '../domain/disclosure-gate';

/**
 * Where a referral stands with one recipient: `waiting` for consent (nothing queued, or a
 * queued job the delivery-time check will stop), `queued`, `delivered`, or `stopped` at
 * delivery time because consent did not (or no longer) cover it.
 */
export type RecipientState = 'waiting' | 'queued' | 'delivered' | 'stopped';

export interface RecipientRecord {
  state: RecipientState;
  /** The delivery (job) id, once one was queued. */
  deliveryId?: string;
  /** A refusal reason code when waiting or stopped. */
  reason?: string;
  at: string;
}

/** Long enough for a referral to be closed months after it was delivered. */
const TTL_SECONDS = 400 * 24 * 3600;

/**
 * The host's own projection of the referral topic, in Redis: the routing facts of each
 * submitted referral and where it was delivered. Rebuildable by replaying the topic.
 */
export function referralStore(redis: Redis, prefix: string) {
  const factsKey = (referralId: string) => `${prefix}:adapter-host:referral:${referralId}`;
  const deliveriesKey = (referralId: string) => `${prefix}:adapter-host:deliveries:${referralId}`;
  const subjectKey = (referralId: string) => `${prefix}:adapter-host:subject:${referralId}`;
  const recipientsKey = (referralId: string) => `${prefix}:adapter-host:recipients:${referralId}`;
  return {
    async saveFacts(referralId: string, facts: ReferralFacts): Promise<void> {
      await redis.set(factsKey(referralId), JSON.stringify(facts), 'EX', TTL_SECONDS);
    },
    async facts(referralId: string): Promise<ReferralFacts | undefined> {
      const raw = await redis.get(factsKey(referralId));
      return raw ? (JSON.parse(raw) as ReferralFacts) : undefined;
    },
    /** The pseudonym and role the consent service is asked about (no personal data). */
    async saveSubject(referralId: string, subject: DisclosureSubject): Promise<void> {
      await redis.set(subjectKey(referralId), JSON.stringify(subject), 'EX', TTL_SECONDS);
    },
    async subject(referralId: string): Promise<DisclosureSubject | undefined> {
      const raw = await redis.get(subjectKey(referralId));
      return raw ? (JSON.parse(raw) as DisclosureSubject) : undefined;
    },
    /** Where the referral stands with a recipient (keyed by service id, else organisation id). */
    async recipient(referralId: string, recipientKey: string): Promise<RecipientRecord | undefined> {
      const raw = await redis.hget(recipientsKey(referralId), recipientKey);
      return raw ? (JSON.parse(raw) as RecipientRecord) : undefined;
    },
    async recipients(referralId: string): Promise<Record<string, RecipientRecord>> {
      const all = await redis.hgetall(recipientsKey(referralId));
      return Object.fromEntries(Object.entries(all).map(([key, raw]) => [key, JSON.parse(raw) as RecipientRecord]));
    },
    async markRecipient(referralId: string, recipientKey: string, record: Omit<RecipientRecord, 'at'>): Promise<void> {
      const value = JSON.stringify({ ...record, at: new Date().toISOString() });
      await redis.multi().hset(recipientsKey(referralId), recipientKey, value).expire(recipientsKey(referralId), TTL_SECONDS).exec();
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
