import type { Sql } from '@polku/db';
import type { DeadLetterRow } from './dead-letter-record';

export type DeadLetterState = 'open' | 'replayed' | 'parked' | 'resolved';

/** Which dead letters: every field optional; `from`/`to` bound when it was dead-lettered. */
export interface DeadLetterFilter {
  /** The original topic (`polku.referral.events.v1`), or its `.dlq`. */
  topic?: string;
  /** The consumer group that failed, with or without a projection's generation (`projection.router` matches `projection.router.g3`). */
  group?: string;
  errorCode?: string;
  from?: string;
  to?: string;
  state?: DeadLetterState;
}

/** What the API shows of a dead letter: the register's codes, ids and counts and the value's size, never its bytes. */
export interface DeadLetterView extends Omit<DeadLetterRow, 'key' | 'value' | 'headers'> {
  state: DeadLetterState;
  parkedReason: string | null;
  stateChangedAt: string;
  valueBytes: number;
}

export interface DeadLetterDetail extends DeadLetterView {
  /** Every header of the dead letter (the event's, the replay's and the bus's dead-letter headers): ids and codes. */
  headers: Record<string, string>;
}

/** The SQL condition and values of a filter (parameters from `$<first>`). */
export function whereOf(filter: DeadLetterFilter, first = 1): { sql: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    values.push(value);
    clauses.push(clause(`$${first + values.length - 1}`));
  };
  if (filter.topic) add((n) => `original_topic = regexp_replace(${n}, '\\.dlq$', '')`, filter.topic);
  if (filter.group) add((n) => `(consumer_group = ${n} OR consumer = ${n})`, filter.group);
  if (filter.errorCode) add((n) => `error_code = ${n}`, filter.errorCode);
  if (filter.from) add((n) => `dead_lettered_at >= ${n}`, filter.from);
  if (filter.to) add((n) => `dead_lettered_at < ${n}`, filter.to);
  if (filter.state) add((n) => `state = ${n}`, filter.state);
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : 'true', values };
}

const VIEW_COLUMNS = `id, dlq_topic, original_topic, original_partition, original_offset::text, consumer_group, consumer, error_code, error_message, attempts,
  event_id, event_type, delivery_id, replay_count, first_failure_at, dead_lettered_at, state, parked_reason, state_changed_at, octet_length(record_value) AS value_bytes, parse_error`;

interface ViewRow {
  id: string; dlq_topic: string; original_topic: string; original_partition: number | null; original_offset: string | null; consumer_group: string; consumer: string;
  error_code: string; error_message: string; attempts: number; event_id: string | null; event_type: string | null; delivery_id: string | null; replay_count: number;
  first_failure_at: Date | null; dead_lettered_at: Date; state: DeadLetterState; parked_reason: string | null; state_changed_at: Date; value_bytes: number; parse_error: string | null;
}

function toView(r: ViewRow): DeadLetterView {
  return {
    id: r.id, dlqTopic: r.dlq_topic, originalTopic: r.original_topic, originalPartition: r.original_partition, originalOffset: r.original_offset,
    consumerGroup: r.consumer_group, consumer: r.consumer, errorCode: r.error_code, errorMessage: r.error_message, attempts: r.attempts,
    eventId: r.event_id, eventType: r.event_type, deliveryId: r.delivery_id, replayCount: r.replay_count,
    firstFailureAt: r.first_failure_at?.toISOString() ?? null, deadLetteredAt: r.dead_lettered_at.toISOString(), state: r.state, parkedReason: r.parked_reason,
    stateChangedAt: r.state_changed_at.toISOString(), valueBytes: Number(r.value_bytes), parseError: r.parse_error,
  };
}

/** Newest first; `before` is the `deadLetteredAt|id` cursor of the last row of the previous page. */
/** The `next` of a page (`<dead-lettered at>|<id>`) as a position to list from, or undefined when `before` is none or not one. */
export function deadLetterCursor(before: string | undefined): { at: string; id: string } | undefined {
  const bar = before?.indexOf('|') ?? -1;
  if (before === undefined || bar < 0) return undefined;
  const [at, id] = [before.slice(0, bar), before.slice(bar + 1)];
  return at && id && !Number.isNaN(Date.parse(at)) ? { at, id } : undefined;
}

export async function listDeadLetters(db: Sql, filter: DeadLetterFilter, limit: number, before?: { at: string; id: string }): Promise<DeadLetterView[]> {
  const where = whereOf(filter);
  const values = [...where.values];
  let sql = where.sql;
  if (before) {
    values.push(before.at, before.id);
    sql += ` AND (dead_lettered_at, id) < ($${values.length - 1}, $${values.length})`;
  }
  values.push(limit);
  const { rows } = await db.query<ViewRow>(`SELECT ${VIEW_COLUMNS} FROM dead_letters WHERE ${sql} ORDER BY dead_lettered_at DESC, id DESC LIMIT $${values.length}`, values);
  return rows.map(toView);
}

export async function deadLetterDetail(db: Sql, id: string): Promise<DeadLetterDetail | undefined> {
  const { rows } = await db.query<ViewRow & { record_headers: Record<string, string> }>(`SELECT ${VIEW_COLUMNS}, record_headers FROM dead_letters WHERE id = $1`, [id]);
  const row = rows[0];
  return row ? { ...toView(row), headers: row.record_headers } : undefined;
}
