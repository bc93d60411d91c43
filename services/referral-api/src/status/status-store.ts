import type { Sql } from '@polku/db';
import type { StatusRecord } from '../domain/status-record';
import type { DeliveryAttempts } from '../domain/status-view';

/**
 * The status projection's tables: one JSON record per referral (from the referral topic) and the
 * delivery attempts per referral (from the delivery topic), apart, so the two topics' events,
 * applied at once, never overwrite each other. Over any `Sql`: the projection writes through the
 * transaction of the event it applies; routes read from the database.
 */
export interface StatusStore {
  get(referralId: string): Promise<{ record: StatusRecord; attempts: DeliveryAttempts } | undefined>;
  getRecord(referralId: string): Promise<StatusRecord | undefined>;
  putRecord(record: StatusRecord): Promise<void>;
  putAttempts(referralId: string, deliveryId: string, attempts: number): Promise<void>;
}

/** The tables a rebuild of the status projection empties. */
export const STATUS_TABLES = ['referral_status', 'referral_delivery_attempts'] as const;

export function sqlStatusStore(db: Sql): StatusStore {
  async function getRecord(referralId: string): Promise<StatusRecord | undefined> {
    const { rows } = await db.query<{ record: StatusRecord }>('SELECT record FROM referral_status WHERE referral_id = $1', [referralId]);
    return rows[0]?.record;
  }
  return {
    getRecord,
    async get(referralId) {
      const record = await getRecord(referralId);
      if (!record) return undefined;
      const { rows } = await db.query<{ delivery_id: string; attempts: number }>('SELECT delivery_id, attempts FROM referral_delivery_attempts WHERE referral_id = $1', [referralId]);
      return { record, attempts: Object.fromEntries(rows.map((r) => [r.delivery_id, r.attempts])) };
    },
    async putRecord(record) {
      await db.query(
        'INSERT INTO referral_status (referral_id, record) VALUES ($1, $2) ON CONFLICT (referral_id) DO UPDATE SET record = EXCLUDED.record, updated_at = now()',
        [record.referralId, JSON.stringify(record)],
      );
    },
    async putAttempts(referralId, deliveryId, attempts) {
      await db.query(
        'INSERT INTO referral_delivery_attempts (referral_id, delivery_id, attempts) VALUES ($1, $2, $3) ON CONFLICT (referral_id, delivery_id) DO UPDATE SET attempts = EXCLUDED.attempts',
        [referralId, deliveryId, attempts],
      );
    },
  };
}
