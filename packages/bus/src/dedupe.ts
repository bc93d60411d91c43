import type { Redis } from 'ioredis';

/** Remembers which events a consumer group has handled, so a redelivery is dropped. */
export interface Deduper {
  seen(groupId: string, eventId: string): Promise<boolean>;
  /** Records the event as handled. Call only after the handler succeeded. */
  mark(groupId: string, eventId: string): Promise<void>;
}

export interface RedisDeduperOptions {
  /** How long a handled id is remembered. Longer than any redelivery can take. @defaultValue 604800 (7 days) */
  ttlSeconds?: number;
}

export const DEFAULT_DEDUPE_TTL_SECONDS = 7 * 24 * 60 * 60;

export function dedupeKey(groupId: string, eventId: string): string {
  return `polku:dedupe:${groupId}:${eventId}`;
}

export function createRedisDeduper(redis: Redis, options: RedisDeduperOptions = {}): Deduper {
  const ttl = options.ttlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS;
  return {
    async seen(groupId, eventId) {
      return (await redis.exists(dedupeKey(groupId, eventId))) === 1;
    },
    async mark(groupId, eventId) {
      await redis.set(dedupeKey(groupId, eventId), new Date().toISOString(), 'EX', ttl, 'NX');
    },
  };
}
