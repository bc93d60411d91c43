import { PolkuError } from '@polku/service-kit';
import type { Sql } from './database';

/** Which operation a key belongs to: the same key may be used for a referral and a consent. */
export type IdempotencyScope = 'referral-submit' | 'consent-record';

export interface IdempotencyClaim {
  scope: IdempotencyScope;
  organisationId: string;
  key: string;
  /** SHA-256 of the request body in canonical JSON (`bodyFingerprint`). */
  fingerprint: string;
}

export interface StoredAnswer<A> {
  status: number;
  body: A;
}

export class IdempotencyKeyReused extends PolkuError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body; use a new key for a new request', { status: 409 });
  }
}

/** How long a retry gets the first answer again. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * Runs `work` at most once per organisation, operation and key, inside the caller's transaction:
 * the first answer is written with the work, so both commit together or not at all. A retry that
 * arrives while the first is still in its transaction waits for it (the key's row is locked) and
 * then gets its answer; a retry after a crash before commit does the work anew.
 * @returns the answer, and whether it is a replay of an earlier request's
 * @throws IdempotencyKeyReused when the key came with another body
 */
export async function once<A>(tx: Sql, claim: IdempotencyClaim, answer: StoredAnswer<A>, work: () => Promise<void>): Promise<{ answer: StoredAnswer<A>; replayed: boolean }> {
  // A key whose answer has expired counts as new: the row is taken over.
  const { rows: taken } = await tx.query(
    `INSERT INTO idempotency_records (scope, organisation_id, idempotency_key, fingerprint, status, answer, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
     ON CONFLICT (scope, organisation_id, idempotency_key) DO UPDATE
       SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, answer = EXCLUDED.answer, created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_records.expires_at < now()
     RETURNING 1`,
    [claim.scope, claim.organisationId, claim.key, claim.fingerprint, answer.status, JSON.stringify(answer.body), IDEMPOTENCY_TTL_HOURS],
  );
  if (taken.length === 1) {
    await work();
    return { answer, replayed: false };
  }
  const { rows } = await tx.query<{ fingerprint: string; status: number; answer: A }>(
    'SELECT fingerprint, status, answer FROM idempotency_records WHERE scope = $1 AND organisation_id = $2 AND idempotency_key = $3',
    [claim.scope, claim.organisationId, claim.key],
  );
  const stored = rows[0]!;
  if (stored.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReused();
  return { answer: { status: stored.status, body: stored.answer }, replayed: true };
}

/** Forgets answers past their time. @returns how many */
export async function forgetExpiredAnswers(db: Sql): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM idempotency_records WHERE expires_at < now()');
  return rowCount ?? 0;
}
