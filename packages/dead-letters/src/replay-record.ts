import { replayHeaders, retryTopicFor, type TransportAdmin, type TransportProducer } from '@polku/bus';
import type { Sql } from '@polku/db';
import { DeadLetterNotFound, DeadLetterNotOpen, DeadLetterParked, RetryTopicMissing } from './errors';

/** What replaying needs: a producer of raw records (exact key, value and headers) and the admin to find retry topics. */
export interface Replayer {
  producer: TransportProducer;
  admin: TransportAdmin;
  maxReplays: number;
}

interface LockedRow {
  id: string;
  state: string;
  parked_reason: string | null;
  consumer: string;
  original_topic: string;
  original_partition: number | null;
  original_offset: string | null;
  dlq_topic: string;
  replay_count: number;
  record_key: string | null;
  record_value: Buffer;
  record_headers: Record<string, string>;
}

/** Locks an open dead letter for a change; refuses one that is not open, parking one replayed past the limit. */
export async function lockOpen(tx: Sql, id: string, maxReplays: number): Promise<LockedRow> {
  const { rows } = await tx.query<LockedRow>(
    `SELECT id, state, parked_reason, consumer, original_topic, original_partition, original_offset::text, dlq_topic, replay_count, record_key, record_value, record_headers
     FROM dead_letters WHERE id = $1 FOR UPDATE`, [id]);
  const row = rows[0];
  if (!row) throw new DeadLetterNotFound();
  if (row.state === 'parked') throw new DeadLetterParked(row.parked_reason ?? 'parked');
  if (row.state !== 'open') throw new DeadLetterNotOpen(row.state);
  if (row.replay_count >= maxReplays) throw new DeadLetterParked('replays-exhausted');
  return row;
}

/** The retry topic a dead letter's replay goes to, refused when it is not provisioned. */
export async function retryTopicOf(admin: TransportAdmin, consumer: string): Promise<string> {
  const topic = retryTopicFor(consumer);
  if (!(await admin.listTopics()).includes(topic)) throw new RetryTopicMissing(consumer, topic);
  return topic;
}

/**
 * Sends the dead letter's record to the retry topic of the consumer that failed (same key, same
 * value, so the same event id; only allow-listed headers, the replay count one up) and marks it
 * replayed, in the caller's transaction: the row stays open if the send fails.
 */
export async function replayLocked(tx: Sql, row: LockedRow, replayer: Replayer): Promise<void> {
  const topic = await retryTopicOf(replayer.admin, row.consumer);
  // Manual dead letters without a position (a delivery job's) name the dead letter itself.
  const original = row.original_partition !== null && row.original_offset !== null
    ? { topic: row.original_topic, partition: row.original_partition, offset: row.original_offset }
    : { topic: row.original_topic, partition: Number(row.id.split('/').at(-2)), offset: row.id.split('/').at(-1)! };
  await replayer.producer.send(topic, [{ key: row.record_key, value: row.record_value, headers: replayHeaders(row.record_headers, original) }]);
  await tx.query("UPDATE dead_letters SET state = 'replayed', state_changed_at = now() WHERE id = $1", [row.id]);
}
