import type { Database } from '@polku/db';
import type { OperatorAudit } from '@polku/operator-audit';
import { errorCode, type Logger } from '@polku/service-kit';
import { DeadLetterNotOpen, DeadLetterParked, RetryTopicMissing } from './errors';
import { lockOpen, replayLocked, type Replayer } from './replay-record';

export interface BulkRunnerOptions {
  db: Database;
  replayer: Replayer;
  audit: OperatorAudit;
  logger: Logger;
  /** How often it takes each running bulk replay's next `ratePerSecond` records. @defaultValue 1000 */
  tickMs?: number;
}

export interface BulkRunner {
  /** One round: each running bulk replay's next batch. Resolves with how many records it replayed. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs the bulk replays PostgreSQL says are running, wherever they were started: a console that
 * restarts goes on from the first record not done. Each round takes a bulk replay's row with
 * `SKIP LOCKED`, so several consoles never replay the same batch at once, and replays at most
 * its rate per second. A batch whose replay fails (Kafka away) is rolled back and taken again:
 * what it sent already is sent again, with the same event id, which the consumer drops.
 */
export function startBulkRunner(options: BulkRunnerOptions): BulkRunner {
  const logger = options.logger.child({ component: 'bulk-replay' });
  const tickMs = options.tickMs ?? 1000;
  let running: Promise<number> | undefined;
  let stopped = false;

  async function batch(bulkId: string): Promise<number> {
    const finished = await options.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ rate_per_second: number; action_id: string; replayed: number; skipped: number }>(
        "SELECT rate_per_second, action_id, replayed, skipped FROM dead_letter_bulk_replays WHERE id = $1 AND state = 'running' FOR UPDATE SKIP LOCKED", [bulkId]);
      const bulk = rows[0];
      if (!bulk) return undefined;
      const items = await tx.query<{ dead_letter_id: string }>(
        'SELECT dead_letter_id FROM dead_letter_bulk_items WHERE bulk_id = $1 AND NOT done ORDER BY position LIMIT $2', [bulkId, bulk.rate_per_second]);
      let replayed = 0;
      let skipped = 0;
      for (const { dead_letter_id: id } of items.rows) {
        try {
          await replayLocked(tx, await lockOpen(tx, id, options.replayer.maxReplays), options.replayer);
          replayed += 1;
        } catch (error) {
          if (!(error instanceof DeadLetterNotOpen || error instanceof DeadLetterParked || error instanceof RetryTopicMissing)) throw error;
          skipped += 1;
          logger.info({ bulkId, deadLetterId: id, code: errorCode(error) }, 'bulk replay skipped a dead letter');
        }
        await tx.query('UPDATE dead_letter_bulk_items SET done = true WHERE bulk_id = $1 AND dead_letter_id = $2', [bulkId, id]);
      }
      const left = items.rows.length < bulk.rate_per_second
        ? 0
        : Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM dead_letter_bulk_items WHERE bulk_id = $1 AND NOT done', [bulkId])).rows[0]!.n);
      await tx.query(
        `UPDATE dead_letter_bulk_replays SET replayed = replayed + $2, skipped = skipped + $3, updated_at = now(),
           state = CASE WHEN $4 THEN 'completed' ELSE state END, finished_at = CASE WHEN $4 THEN now() ELSE finished_at END WHERE id = $1`,
        [bulkId, replayed, skipped, left === 0],
      );
      return { replayed, done: left === 0, actionId: bulk.action_id, total: { replayed: bulk.replayed + replayed, skipped: bulk.skipped + skipped } };
    });
    if (!finished) return 0;
    if (finished.done) {
      logger.info({ bulkId, ...finished.total }, 'bulk replay completed');
      await options.audit.completed(finished.actionId, 'dead-letter.bulk-replay', { outcome: 'succeeded', counts: finished.total });
    }
    return finished.replayed;
  }

  async function tick(): Promise<number> {
    const { rows } = await options.db.query<{ id: string }>("SELECT id FROM dead_letter_bulk_replays WHERE state = 'running' ORDER BY created_at");
    let replayed = 0;
    for (const { id } of rows) {
      try {
        replayed += await batch(id);
      } catch (error) {
        logger.warn({ bulkId: id, code: errorCode(error), err: error }, 'bulk replay batch failed; it is taken again next round');
      }
    }
    return replayed;
  }

  const timer = setInterval(() => {
    if (stopped || running) return;
    // A database that is slow or away (the first query of a round) must not take the console down
    // as an unhandled rejection: the round is taken again on the next tick.
    running = tick()
      .catch((error: unknown) => {
        logger.warn({ code: errorCode(error), err: error }, 'bulk replay round failed; it is taken again next tick');
        return 0;
      })
      .finally(() => (running = undefined));
  }, tickMs);
  timer.unref();

  return {
    tick: async () => {
      await running;
      return tick();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
