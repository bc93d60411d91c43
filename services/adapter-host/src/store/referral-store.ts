import type { ReferralFacts } from '@polku/adapter-kit';
import type { Sql } from '@polku/db';
import type { DisclosureSubject } from '../domain/disclosure-gate';
import { deliveryLedger } from './delivery-ledger';

/**
 * Where a referral stands with one recipient: `waiting` for consent (nothing queued, or a
 * queued job the delivery-time check will stop), `queued`, `delivered`, `stopped` at delivery
 * time because consent did not (or no longer) cover it, or `failed` for good (dead-lettered).
 */
export type RecipientState = 'waiting' | 'queued' | 'delivered' | 'stopped' | 'failed';

/** What the worker decided; the projection never writes over it (see `markRecipient`). */
const OUTCOMES: readonly RecipientState[] = ['delivered', 'failed'];

export interface RecipientRecord {
  state: RecipientState;
  /** The delivery (job) id, once one was queued. */
  deliveryId?: string;
  /** A refusal reason code when waiting or stopped. */
  reason?: string;
  at: string;
}

interface RecipientRow {
  recipient_key: string;
  state: RecipientState;
  delivery_id: string | null;
  reason: string | null;
  at: Date;
}

const toRecord = (row: RecipientRow): RecipientRecord => ({
  state: row.state,
  ...(row.delivery_id ? { deliveryId: row.delivery_id } : {}),
  ...(row.reason ? { reason: row.reason } : {}),
  at: row.at.toISOString(),
});

/**
 * The host's state in PostgreSQL, through `sql`: the database, or the transaction of the
 * projection's `apply` or of the worker, so what a handler writes commits with what it consumed
 * or announced. Facts, subject and recipients are the projection (a rebuild empties them); the
 * deliveries are the ledger (`delivery-ledger.ts`), which a rebuild keeps.
 */
export function referralStore(sql: Sql) {
  return {
    async saveFacts(referralId: string, facts: ReferralFacts): Promise<void> {
      await sql.query(
        `INSERT INTO adapter_host_referrals (referral_id, facts) VALUES ($1, $2)
         ON CONFLICT (referral_id) DO UPDATE SET facts = EXCLUDED.facts, updated_at = now()`,
        [referralId, JSON.stringify(facts)],
      );
    },
    async facts(referralId: string): Promise<ReferralFacts | undefined> {
      const { rows } = await sql.query<{ facts: ReferralFacts | null }>('SELECT facts FROM adapter_host_referrals WHERE referral_id = $1', [referralId]);
      return rows[0]?.facts ?? undefined;
    },
    /** The pseudonym and role the consent service is asked about (no personal data). */
    async saveSubject(referralId: string, subject: DisclosureSubject): Promise<void> {
      await sql.query(
        `INSERT INTO adapter_host_referrals (referral_id, subject) VALUES ($1, $2)
         ON CONFLICT (referral_id) DO UPDATE SET subject = EXCLUDED.subject, updated_at = now()`,
        [referralId, JSON.stringify(subject)],
      );
    },
    async subject(referralId: string): Promise<DisclosureSubject | undefined> {
      const { rows } = await sql.query<{ subject: DisclosureSubject | null }>('SELECT subject FROM adapter_host_referrals WHERE referral_id = $1', [referralId]);
      return rows[0]?.subject ?? undefined;
    },
    /**
     * Where the referral stands with a recipient (keyed by service id, else organisation id).
     * Locks the row until the transaction ends, so the worker's outcome cannot slip in between
     * this read and the write that follows it.
     */
    async recipient(referralId: string, recipientKey: string): Promise<RecipientRecord | undefined> {
      const { rows } = await sql.query<RecipientRow>(
        'SELECT recipient_key, state, delivery_id, reason, at FROM adapter_host_recipients WHERE referral_id = $1 AND recipient_key = $2 FOR UPDATE',
        [referralId, recipientKey],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },
    async recipients(referralId: string): Promise<Record<string, RecipientRecord>> {
      const { rows } = await sql.query<RecipientRow>('SELECT recipient_key, state, delivery_id, reason, at FROM adapter_host_recipients WHERE referral_id = $1', [referralId]);
      return Object.fromEntries(rows.map((row) => [row.recipient_key, toRecord(row)]));
    },
    /**
     * What the projection learnt (`waiting`, `queued`). Never writes over an outcome the worker
     * recorded (`delivered`, `failed`): a replayed or late event does not undo a delivery.
     * @returns whether the row was written
     */
    async markRecipient(referralId: string, recipientKey: string, record: Omit<RecipientRecord, 'at'>): Promise<boolean> {
      const { rowCount } = await sql.query(
        `INSERT INTO adapter_host_recipients (referral_id, recipient_key, state, delivery_id, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (referral_id, recipient_key) DO UPDATE
           SET state = EXCLUDED.state, delivery_id = COALESCE(EXCLUDED.delivery_id, adapter_host_recipients.delivery_id), reason = EXCLUDED.reason, at = now()
           WHERE adapter_host_recipients.state <> ALL ($6::text[])`,
        [referralId, recipientKey, record.state, record.deliveryId ?? null, record.reason ?? null, OUTCOMES],
      );
      return rowCount === 1;
    },
    /** What the worker decided (`delivered`, `stopped`, `failed`): written over whatever stood. */
    async recordOutcome(referralId: string, recipientKey: string, record: Omit<RecipientRecord, 'at'> & { deliveryId: string }): Promise<void> {
      await sql.query(
        `INSERT INTO adapter_host_recipients (referral_id, recipient_key, state, delivery_id, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (referral_id, recipient_key) DO UPDATE SET state = EXCLUDED.state, delivery_id = EXCLUDED.delivery_id, reason = EXCLUDED.reason, at = now()`,
        [referralId, recipientKey, record.state, record.deliveryId, record.reason ?? null],
      );
    },
    ...deliveryLedger(sql),
  };
}

export type ReferralStore = ReturnType<typeof referralStore>;
