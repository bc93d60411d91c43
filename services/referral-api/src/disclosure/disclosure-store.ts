import type { Redis } from 'ioredis';
import type { DisclosureDisclosedV1, DisclosureRefusedV1 } from '@polku/contracts';

/** One line of the disclosure log as the projection keeps it: the event's data and its outcome. */
export type DisclosureEntry = ({ outcome: 'disclosed' } & DisclosureDisclosedV1) | ({ outcome: 'refused' } & DisclosureRefusedV1);

/**
 * The disclosure log projected into Redis: one sorted set per subject reference, scored by
 * the time of the release or refusal (ms), members the compact JSON of each entry. Adding the
 * same entry again changes nothing, so a redelivered event is harmless.
 */
export interface DisclosureStore {
  add(entry: DisclosureEntry): Promise<void>;
  /** Entries of one subject with `from <= at <= to`, oldest first. */
  list(subjectRef: string, from: Date, to: Date): Promise<DisclosureEntry[]>;
}

const PREFIX = 'polku:disclosures:';

export function redisDisclosureStore(redis: Redis): DisclosureStore {
  return {
    async add(entry) {
      await redis.zadd(PREFIX + entry.subjectRef, Date.parse(entry.at), JSON.stringify(entry));
    },
    async list(subjectRef, from, to) {
      const members = await redis.zrangebyscore(PREFIX + subjectRef, from.getTime(), to.getTime());
      return members.map((member) => JSON.parse(member) as DisclosureEntry);
    },
  };
}
