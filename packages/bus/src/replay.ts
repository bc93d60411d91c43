import { EVENT_HEADERS } from './headers';
import type { RecordPosition } from './consume-options';
import type { HeaderMap } from './transport/types';

/**
 * Headers of a replayed record (docs/dead-letters.md). A replay goes to the retry topic of the
 * one consumer that failed, never back to the source topic, so the other groups never see it.
 */
export const REPLAY_HEADERS = {
  /** How many times the record has been replayed: 1 on the first replay. A dead letter keeps it. */
  count: 'polku-replay-count',
  /** `topic/partition/offset` of the record as first published: a replay that fails again is dead-lettered as that record. */
  of: 'polku-replay-of',
  /** The delivery a dead-lettered delivery job was about (adapter host): its replay re-queues that delivery. */
  deliveryId: 'polku-delivery-id',
} as const;

/** Headers of the event itself, the only ones (with the replay headers) a replay copies from a dead letter. */
const COPIED = new Set<string>([...Object.values(EVENT_HEADERS), REPLAY_HEADERS.deliveryId]);

/** A consumer as a replay sees it: its group without a projection's generation (`.g3`) or the retry group's suffix. */
export function consumerOf(groupId: string): string {
  return groupId.replace(/\.retry$/, '').replace(/\.g\d+$/, '');
}

/** The topic only `consumer` reads its replays from (declared in infra/topics.json). */
export function retryTopicFor(consumer: string): string {
  return `polku.retry.v1.${consumer}`;
}

/** The stable consumer group reading a consumer's retry topic: it outlives a projection's rebuild. */
export function retryGroupFor(consumer: string): string {
  return `${consumer}.retry`;
}

/** How many replays a dead letter has had (0 for one never replayed). */
export function replayCountOf(headers: HeaderMap): number {
  const count = Number(headers[REPLAY_HEADERS.count] ?? '0');
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/** Where a replayed record was first published, or undefined for a record that is not a replay. */
export function replayedFrom(headers: HeaderMap): RecordPosition | undefined {
  const match = /^(.+)\/(\d+)\/(\d+)$/.exec(headers[REPLAY_HEADERS.of] ?? '');
  return match ? { topic: match[1]!, partition: Number(match[2]), offset: match[3]! } : undefined;
}

/**
 * The headers of the next replay of a dead letter: the allow-listed event headers, the replay
 * count plus one, and where the record was first published. Never the dead-letter headers (an
 * error message is not the event's).
 */
export function replayHeaders(deadLetter: HeaderMap, original: RecordPosition): HeaderMap {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(deadLetter)) if (COPIED.has(name)) headers[name] = value;
  headers[REPLAY_HEADERS.count] = String(replayCountOf(deadLetter) + 1);
  headers[REPLAY_HEADERS.of] = `${original.topic}/${original.partition}/${original.offset}`;
  return headers;
}
