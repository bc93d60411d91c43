import type { Sql } from '@polku/db';

/** What became of one attempt (`adapter_host_delivery_attempts.outcome`). */
export type AttemptOutcome = 'delivered' | 'failed-retrying' | 'failed' | 'stopped' | 'not-ready';

/** One attempt of a delivery: codes, ids and times only, never the system's answer body. */
export interface AttemptRecord {
  deliveryId: string;
  referralId: string;
  adapterId: string;
  /** The BullMQ attempt (1-based); a "not ready" try shares the number of the attempt after it. */
  attempt: number;
  startedAt: Date;
  endedAt: Date;
  outcome: AttemptOutcome;
  errorCode?: string;
  /** The external system's HTTP status, when it answered one. */
  httpStatus?: number;
}

/**
 * The log of every attempt (`adapter_host_delivery_attempts`), read by the console's trace.
 * Append-only beside the delivery ledger; the ledger, not this log, decides what is sent.
 */
export function attemptLog(sql: Sql) {
  return {
    async record(entry: AttemptRecord): Promise<void> {
      await sql.query(
        `INSERT INTO adapter_host_delivery_attempts (delivery_id, referral_id, adapter_id, attempt, started_at, ended_at, outcome, error_code, http_status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [entry.deliveryId, entry.referralId, entry.adapterId, entry.attempt, entry.startedAt, entry.endedAt, entry.outcome, entry.errorCode ?? null, entry.httpStatus ?? null],
      );
    },
  };
}
