import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database, Sql } from '@polku/db';
import { timerJobOptions, type Logger } from '@polku/service-kit';
import { inJobSpan, jobTrace, watchQueue } from '@polku/telemetry';

/**
 * Where a timer is, in BullMQ's own words (what an operator sees in any BullMQ tool too):
 * `delayed` until due, `waiting`/`active` while it fires, then `completed` or `failed`.
 */
export type TimerState = 'delayed' | 'waiting' | 'active' | 'completed' | 'failed';

export interface TimerView {
  dueAt: string;
  state: TimerState;
}

/** What every timer job carries: when it is due (RFC 3339), for the operator view and the event. */
export interface TimerData {
  referralId: string;
  dueAt: string;
  /** The span that set it: the timer's event continues the referral's trace when it fires. */
  traceparent?: string;
}

/** The timers of a referral, as named in `router_timers` and in job ids (`<kind>-<referralId>`). */
export type TimerKind = 'sla' | 'follow-up';

/**
 * One delayed job per referral in a BullMQ queue, and its state in PostgreSQL (`router_timers`):
 * set, stopped or fired, written in the transaction of the handling that sets or stops it. The
 * job lives in Redis and outlives the process (a worker started after a restart runs whatever
 * fell due meanwhile); the row outlives Redis, so {@link reconcile} can add lost jobs again.
 */
export interface TimerQueue<T extends TimerData> {
  /**
   * Sets the timer (in `tx`) and adds its job. A timer already set stays as it is (a second job
   * with the same id would be a no-op in BullMQ too); one that fired stays fired.
   */
  schedule(tx: Sql, data: T, dueAt: Date, now: Date): Promise<void>;
  /** Stops a timer that has not fired (in `tx`) and removes its job; false when there was none, or it fired or is firing. */
  cancel(tx: Sql, referralId: string): Promise<boolean>;
  describe(referralId: string): Promise<TimerView | undefined>;
  /** Adds again the job of every timer recorded as set whose job Redis no longer has. @returns how many */
  reconcile(sql: Sql, now: Date): Promise<number>;
  /** Stops taking jobs, lets the running one finish, then closes the queue. */
  close(): Promise<void>;
}

export interface TimerQueueOptions<T extends TimerData> {
  /** The BullMQ queue name. */
  name: string;
  /** The timer's kind in `router_timers`, and its job ids' prefix (`<kind>-<referralId>`: BullMQ refuses ':' in custom ids). */
  kind: TimerKind;
  /** A connection with `maxRetriesPerRequest: null`, which BullMQ workers need. Not closed here. */
  connection: Redis;
  /** Prefix of the queue's Redis keys. */
  prefix: string;
  logger: Logger;
  /** Where a firing timer does its work: a transaction of its own. */
  db: Database;
  /**
   * Takes the locks every handling of the referral takes first (its subject, its record), before
   * the timer's row is locked: one order everywhere, so a timer firing beside an event never deadlocks.
   */
  lockReferral: (tx: Sql, referralId: string) => Promise<unknown>;
  /** Runs when a timer falls due, in the timer's transaction; throwing rolls it back and retries the job with backoff. */
  onDue: (tx: Sql, data: T, jobId: string) => Promise<void>;
}

/** Fired timers stay this long: the operator view shows them and a late duplicate schedule stays a no-op. */
const KEEP_DONE_SECONDS = 400 * 24 * 60 * 60;
const RECONCILE_PAGE = 500;

export function createTimerQueue<T extends TimerData>(options: TimerQueueOptions<T>): TimerQueue<T> {
  const { name, kind, connection, prefix, logger, db } = options;
  const jobId = (referralId: string): string => `${kind}-${referralId}`;
  // Every type parameter spelled out: with a generic T BullMQ cannot infer the job name type.
  const queue = new Queue<T, void, string, T, void, string>(name, { connection, prefix });
  const add = (data: T, dueAt: Date, now: Date) => queue.add(name, data, timerJobOptions(jobId(data.referralId), dueAt, now, KEEP_DONE_SECONDS));

  /** The job's work in one transaction with the timer's row: a timer stopped or fired meanwhile does nothing. */
  const fire = (job: Job<T>) => db.transaction(async (tx) => {
    const id = job.id ?? jobId(job.data.referralId);
    await options.lockReferral(tx, job.data.referralId);
    // Locks the row; waits for a handling that is still setting it to commit. No row at all: a job
    // set before the router kept its timers in PostgreSQL, which fires as it always would have.
    const { rows } = await tx.query<{ state: string }>(
      `INSERT INTO router_timers (referral_id, kind, state, due_at, job) VALUES ($1, $2, 'set', $3, $4)
       ON CONFLICT (referral_id, kind) DO UPDATE SET state = router_timers.state RETURNING state`,
      [job.data.referralId, kind, job.data.dueAt, JSON.stringify(job.data)],
    );
    if (rows[0]?.state !== 'set') {
      logger.info({ queue: name, jobId: id, state: rows[0]?.state }, 'timer stopped or fired already: nothing to do');
      return;
    }
    await options.onDue(tx, job.data, id);
    await tx.query("UPDATE router_timers SET state = 'fired', updated_at = now() WHERE referral_id = $1 AND kind = $2", [job.data.referralId, kind]);
  });
  const worker = new Worker<T>(name, (job: Job<T>) => inJobSpan(name, job, () => fire(job)), { connection, prefix });
  const unwatch = watchQueue(queue);
  queue.on('error', (err) => logger.error({ err, queue: name }, 'timer queue error'));
  worker.on('error', (err) => logger.error({ err, queue: name }, 'timer worker error'));
  worker.on('failed', (job, err) => logger.warn({ err, queue: name, jobId: job?.id, attempts: job?.attemptsMade }, 'timer job failed'));

  return {
    async schedule(tx, untraced, dueAt, now) {
      // Kept in the row too, so a job added again after Redis lost it fires in the same trace.
      const data: T = { ...untraced, ...jobTrace() };
      const { rows } = await tx.query(
        `INSERT INTO router_timers (referral_id, kind, state, due_at, job) VALUES ($1, $2, 'set', $3, $4)
         ON CONFLICT (referral_id, kind) DO UPDATE SET state = 'set', due_at = EXCLUDED.due_at, job = EXCLUDED.job, updated_at = now()
         WHERE router_timers.state = 'stopped' RETURNING 1`,
        [data.referralId, kind, dueAt, JSON.stringify(data)],
      );
      // Added before the commit: should the transaction fail, the handling runs again and adding
      // the same job id is a no-op; a job that fires meanwhile waits for the row (see `fire`).
      if (rows.length > 0) await add(data, dueAt, now);
    },
    async cancel(tx, referralId) {
      const { rowCount } = await tx.query("UPDATE router_timers SET state = 'stopped', updated_at = now() WHERE referral_id = $1 AND kind = $2 AND state = 'set'", [referralId, kind]);
      const job = await queue.getJob(jobId(referralId));
      // A timer that fired (or is firing) stays, so the operator view still shows it.
      const state = job ? toTimerState(await job.getState()) : undefined;
      const removed = job !== undefined && (state === 'delayed' || state === 'waiting') && (await queue.remove(job.id ?? jobId(referralId))) === 1;
      return rowCount === 1 || removed;
    },
    async describe(referralId) {
      const job = await queue.getJob(jobId(referralId));
      if (!job) return undefined;
      return { dueAt: job.data.dueAt, state: toTimerState(await job.getState()) };
    },
    async reconcile(sql, now) {
      let added = 0;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const { rows } = await sql.query<{ referral_id: string; due_at: Date; job: T }>(
          "SELECT referral_id, due_at, job FROM router_timers WHERE kind = $1 AND state = 'set' AND referral_id > $2 ORDER BY referral_id LIMIT $3",
          [kind, after, RECONCILE_PAGE],
        );
        for (const row of rows) {
          if (await queue.getJob(jobId(row.referral_id))) continue;
          await add(row.job, row.due_at, now);
          added += 1;
        }
        if (rows.length < RECONCILE_PAGE) return added;
        after = rows.at(-1)!.referral_id;
      }
    },
    async close() {
      unwatch();
      await worker.close();
      await queue.close();
    },
  };
}

/** BullMQ's rarer states (prioritized, waiting-children, unknown) do not occur for these jobs; they read as waiting. */
function toTimerState(state: string): TimerState {
  return state === 'delayed' || state === 'active' || state === 'completed' || state === 'failed' ? state : 'waiting';
}
