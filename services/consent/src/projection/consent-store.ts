import type { ConsentRecord } from '@polku/consent-policy';
import type { Sql } from '@polku/db';

/**
 * The consent projection in PostgreSQL (`consent_records`): the latest record of every consent.
 * The service writes its own changes here in the transaction that puts them in the outbox, and
 * the projection of the topic applies every record again (ours and other instances'), so applying
 * must be idempotent and order-proof. Over any `Sql`: a transaction or the database.
 */
export interface ConsentStore {
  /**
   * Applies a record (idempotent, any order): a withdrawal or expiry is never undone by a late
   * copy of the grant, and of two endings the earlier stands.
   * @returns the record the store now holds for that consent
   */
  apply(record: ConsentRecord): Promise<ConsentRecord>;
  get(consentId: string, options?: { forUpdate?: boolean }): Promise<ConsentRecord | undefined>;
  listBySubject(subjectRef: string): Promise<ConsentRecord[]>;
  /** Active consents with a `validUntil`: whose expiry timers must exist. */
  expiring(): Promise<ConsentRecord[]>;
}

export const CONSENT_TABLES = ['consent_records'] as const;

export function sqlConsentStore(db: Sql): ConsentStore {
  const get: ConsentStore['get'] = async (consentId, options = {}) => {
    const { rows } = await db.query<{ record: ConsentRecord }>(`SELECT record FROM consent_records WHERE consent_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [consentId]);
    return rows[0]?.record;
  };
  return {
    async apply(record) {
      // Rank 0 = active, 1 = ended. A grant is never edited, so active over active changes nothing;
      // an ending replaces an active record, and a later ending never replaces an earlier one.
      const rank = record.status === 'active' ? 0 : 1;
      const { rows } = await db.query<{ record: ConsentRecord }>(
        `INSERT INTO consent_records (consent_id, subject_ref, record, rank, changed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (consent_id) DO UPDATE SET record = EXCLUDED.record, rank = EXCLUDED.rank, changed_at = EXCLUDED.changed_at
           WHERE EXCLUDED.rank > consent_records.rank OR (EXCLUDED.rank = 1 AND consent_records.rank = 1 AND EXCLUDED.changed_at < consent_records.changed_at)
         RETURNING record`,
        [record.consentId, record.subjectRef, JSON.stringify(record), rank, record.changedAt],
      );
      return rows[0]?.record ?? (await get(record.consentId))!;
    },
    get,
    async listBySubject(subjectRef) {
      const { rows } = await db.query<{ record: ConsentRecord }>(
        "SELECT record FROM consent_records WHERE subject_ref = $1 ORDER BY (record ->> 'validFrom')::timestamptz, consent_id", [subjectRef]);
      return rows.map((r) => r.record);
    },
    async expiring() {
      const { rows } = await db.query<{ record: ConsentRecord }>("SELECT record FROM consent_records WHERE rank = 0 AND record ? 'validUntil'");
      return rows.map((r) => r.record);
    },
  };
}
