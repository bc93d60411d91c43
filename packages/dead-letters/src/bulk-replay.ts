import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '@polku/db';
import type { AuditActor, AuditReason, OperatorAudit } from '@polku/operator-audit';
import { errorCode } from '@polku/service-kit';
import { BulkReplayCountChanged, BulkReplayNotFound, BulkReplayNotRunning, BulkReplayRunning } from './errors';
import { whereOf, type DeadLetterFilter } from './store';

/** A bulk replay takes open dead letters of one topic, optionally narrowed. */
export interface BulkFilter extends Omit<DeadLetterFilter, 'state' | 'topic'> {
  topic: string;
}

export interface DryRun {
  filter: BulkFilter;
  /** Open dead letters a bulk replay of this filter would replay now. */
  matched: number;
  byCause: { errorCode: string; group: string; count: number }[];
}

export interface BulkProgress {
  id: string;
  dlqTopic: string;
  filter: BulkFilter;
  state: 'running' | 'completed' | 'cancelled';
  matched: number;
  replayed: number;
  /** Taken by the bulk replay but no longer open when its turn came (replayed or parked meanwhile). */
  skipped: number;
  ratePerSecond: number;
  actionId: string;
  createdAt: string;
  finishedAt: string | null;
}

const dlqOf = (topic: string) => (topic.endsWith('.dlq') ? topic : `${topic}.dlq`);

/** The filter's open dead letters that may still be replayed. */
function matching(filter: BulkFilter, maxReplays: number): { sql: string; values: unknown[] } {
  const where = whereOf({ ...filter, state: 'open' });
  return { sql: `${where.sql} AND replay_count < $${where.values.length + 1}`, values: [...where.values, maxReplays] };
}

export async function dryRun(db: Sql, filter: BulkFilter, maxReplays: number): Promise<DryRun> {
  const where = matching(filter, maxReplays);
  const { rows } = await db.query<{ error_code: string; consumer: string; count: string }>(
    `SELECT error_code, consumer, count(*) AS count FROM dead_letters WHERE ${where.sql} GROUP BY error_code, consumer ORDER BY count(*) DESC, error_code, consumer`, where.values);
  const byCause = rows.map((r) => ({ errorCode: r.error_code, group: r.consumer, count: Number(r.count) }));
  return { filter, matched: byCause.reduce((sum, c) => sum + c.count, 0), byCause };
}

export interface BulkDeps {
  db: Database;
  audit: OperatorAudit;
  maxReplays: number;
}

export interface BulkStart {
  filter: BulkFilter;
  /** The dry run's `matched`, confirmed by the operator. */
  expectedCount: number;
  ratePerSecond: number;
  actor: AuditActor;
  reason: AuditReason;
}

async function runningOn(db: Sql, dlqTopic: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM dead_letter_bulk_replays WHERE dlq_topic = $1 AND state = 'running'", [dlqTopic]);
  return rows[0]?.id;
}

/**
 * Confirms a dry run and starts the bulk replay: refused when another runs on the topic or the
 * matching set is no longer the count confirmed; audited (filter and counts) before it starts.
 * The set is fixed here; the runner replays it at the rate, surviving restarts.
 */
export async function startBulkReplay(deps: BulkDeps, start: BulkStart): Promise<BulkProgress> {
  const dlqTopic = dlqOf(start.filter.topic);
  const running = await runningOn(deps.db, dlqTopic);
  if (running) throw new BulkReplayRunning(dlqTopic, running);
  const counted = await dryRun(deps.db, start.filter, deps.maxReplays);
  if (counted.matched !== start.expectedCount) throw new BulkReplayCountChanged(start.expectedCount, counted.matched);
  const id = randomUUID();
  const actionId = await deps.audit.requested({
    action: 'dead-letter.bulk-replay', actor: start.actor, reason: start.reason, target: { bulkReplayId: id },
    filter: start.filter, counts: { matched: counted.matched, byCause: counted.byCause },
  });
  try {
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO dead_letter_bulk_replays (id, dlq_topic, filter, matched, rate_per_second, state, action_id) VALUES ($1, $2, $3, $4, $5, 'running', $6)`,
        [id, dlqTopic, JSON.stringify(start.filter), start.expectedCount, start.ratePerSecond, actionId],
      ).catch((error: unknown) => {
        if ((error as { code?: string }).code === '23505') throw new BulkReplayRunning(dlqTopic, undefined);
        throw error;
      });
      const where = matching(start.filter, deps.maxReplays);
      const { rowCount } = await tx.query(
        `INSERT INTO dead_letter_bulk_items (bulk_id, dead_letter_id, position)
         SELECT $${where.values.length + 1}, id, row_number() OVER (ORDER BY dead_lettered_at, id) FROM dead_letters WHERE ${where.sql}`,
        [...where.values, id],
      );
      if (rowCount !== start.expectedCount) throw new BulkReplayCountChanged(start.expectedCount, rowCount ?? 0);
    });
  } catch (error) {
    await deps.audit.completed(actionId, 'dead-letter.bulk-replay', { outcome: 'failed', errorCode: errorCode(error) });
    throw error;
  }
  return (await bulkProgress(deps.db, id))!;
}

interface BulkRow {
  id: string; dlq_topic: string; filter: BulkFilter; state: BulkProgress['state']; matched: number; replayed: number; skipped: number;
  rate_per_second: number; action_id: string; created_at: Date; finished_at: Date | null;
}

function toProgress(r: BulkRow): BulkProgress {
  return {
    id: r.id, dlqTopic: r.dlq_topic, filter: r.filter, state: r.state, matched: r.matched, replayed: r.replayed, skipped: r.skipped,
    ratePerSecond: r.rate_per_second, actionId: r.action_id, createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

export async function bulkProgress(db: Sql, id: string): Promise<BulkProgress | undefined> {
  const { rows } = await db.query<BulkRow>('SELECT * FROM dead_letter_bulk_replays WHERE id = $1', [id]);
  return rows[0] ? toProgress(rows[0]) : undefined;
}

export async function listBulkReplays(db: Sql, limit: number): Promise<BulkProgress[]> {
  const { rows } = await db.query<BulkRow>('SELECT * FROM dead_letter_bulk_replays ORDER BY created_at DESC LIMIT $1', [limit]);
  return rows.map(toProgress);
}

/** Stops a running bulk replay after the record in hand; what it replayed stays replayed. Audited like any change. */
export async function cancelBulkReplay(deps: BulkDeps, id: string, actor: AuditActor, reason: AuditReason): Promise<BulkProgress> {
  const before = await bulkProgress(deps.db, id);
  if (!before) throw new BulkReplayNotFound();
  if (before.state !== 'running') throw new BulkReplayNotRunning(before.state);
  const actionId = await deps.audit.requested({ action: 'dead-letter.bulk-cancel', actor, reason, target: { bulkReplayId: id } });
  const { rows } = await deps.db.query<BulkRow>(
    "UPDATE dead_letter_bulk_replays SET state = 'cancelled', finished_at = now(), updated_at = now() WHERE id = $1 AND state = 'running' RETURNING *", [id]);
  const cancelled = rows[0];
  if (!cancelled) {
    await deps.audit.completed(actionId, 'dead-letter.bulk-cancel', { outcome: 'failed', errorCode: 'BULK_REPLAY_NOT_RUNNING' });
    throw new BulkReplayNotRunning('finished');
  }
  await deps.audit.completed(actionId, 'dead-letter.bulk-cancel', { outcome: 'succeeded' });
  await deps.audit.completed(cancelled.action_id, 'dead-letter.bulk-replay', { outcome: 'cancelled', counts: { replayed: cancelled.replayed, skipped: cancelled.skipped } });
  return toProgress(cancelled);
}
