import type { Sql } from '@polku/db';
import type { DeliveryJobData, DeliveryRecord } from '../domain/delivery-job';

/** What the worker made of a delivery; none while it is queued. */
export type DeliveryOutcome = 'delivered' | 'stopped' | 'failed';

export interface LedgerEntry extends DeliveryRecord {
  /** The BullMQ job's data, so a lost job can be added again as it was. */
  plan: DeliveryJobData;
  outcome?: DeliveryOutcome;
}

interface LedgerRow {
  delivery_id: string;
  adapter_id: string;
  role: DeliveryRecord['role'];
  recipient: DeliveryRecord['recipient'];
  correlation_id: string;
  plan: DeliveryJobData;
  outcome: DeliveryOutcome | null;
}

const COLUMNS = 'delivery_id, adapter_id, role, recipient, correlation_id, plan, outcome';
const toEntry = (row: LedgerRow): LedgerEntry => ({
  deliveryId: row.delivery_id,
  adapterId: row.adapter_id,
  role: row.role,
  recipient: row.recipient,
  correlationId: row.correlation_id,
  plan: row.plan,
  ...(row.outcome ? { outcome: row.outcome } : {}),
});
const correlationOf = (plan: DeliveryJobData) => plan.routed.correlationid ?? plan.routed.id;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ledger of deliveries (`adapter_host_deliveries`): what was queued, with the job's data,
 * and what became of it. Not part of the projection's tables, so a rebuild keeps it: a replayed
 * `routed` finds here that its delivery was made, and makes it no second time.
 */
export function deliveryLedger(sql: Sql) {
  return {
    /** A delivery is queued (again): its plan, and no outcome yet. */
    async saveDelivery(plan: DeliveryJobData): Promise<void> {
      const { delivery } = plan;
      await sql.query(
        `INSERT INTO adapter_host_deliveries (delivery_id, referral_id, adapter_id, role, recipient, correlation_id, plan) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (delivery_id) DO UPDATE
           SET adapter_id = EXCLUDED.adapter_id, role = EXCLUDED.role, recipient = EXCLUDED.recipient, correlation_id = EXCLUDED.correlation_id,
               plan = EXCLUDED.plan, outcome = NULL, attempts = NULL, outcome_at = NULL, updated_at = now()`,
        [delivery.deliveryId, delivery.referralId, plan.adapterId, delivery.role, JSON.stringify(delivery.recipient), correlationOf(plan), JSON.stringify(plan)],
      );
    },
    async delivery(deliveryId: string): Promise<LedgerEntry | undefined> {
      const { rows } = await sql.query<LedgerRow>(`SELECT ${COLUMNS} FROM adapter_host_deliveries WHERE delivery_id = $1`, [deliveryId]);
      return rows[0] ? toEntry(rows[0]) : undefined;
    },
    /**
     * The worker's outcome. Written with the job's plan, so it lands even if the row of the
     * projection that queued it commits only now (the insert waits for it).
     * @returns false when this outcome was recorded already (a retried recording): nothing to announce again
     */
    async recordDeliveryOutcome(job: DeliveryJobData, outcome: DeliveryOutcome, attempts: number): Promise<boolean> {
      const { outcome: _pending, recordTries: _tries, firstFailureAt: _first, ...plan } = job;
      const { delivery } = plan;
      const { rowCount } = await sql.query(
        `INSERT INTO adapter_host_deliveries (delivery_id, referral_id, adapter_id, role, recipient, correlation_id, plan, outcome, attempts, outcome_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
         ON CONFLICT (delivery_id) DO UPDATE SET outcome = EXCLUDED.outcome, attempts = EXCLUDED.attempts, outcome_at = now(), updated_at = now()
           WHERE adapter_host_deliveries.outcome IS DISTINCT FROM EXCLUDED.outcome`,
        [delivery.deliveryId, delivery.referralId, plan.adapterId, delivery.role, JSON.stringify(delivery.recipient), correlationOf(plan), JSON.stringify(plan), outcome, attempts],
      );
      return rowCount === 1;
    },
    /** A `delivered` read back from the topic: a restored ledger learns it there. */
    async noteDelivered(deliveryId: string): Promise<void> {
      await sql.query(
        `UPDATE adapter_host_deliveries SET outcome = 'delivered', outcome_at = now(), updated_at = now()
          WHERE delivery_id = $1 AND outcome IS DISTINCT FROM 'delivered'`,
        [deliveryId],
      );
    },
    /** The delivery a callback answers: the one it names, else the lead's, else the only one through that adapter. */
    async deliveryFor(referralId: string, adapterId: string, deliveryId?: string): Promise<DeliveryRecord | undefined> {
      // An id that is no uuid was never one of ours (and must not reach the uuid column as an error).
      if (!UUID.test(referralId) || (deliveryId !== undefined && !UUID.test(deliveryId))) return undefined;
      const { rows } = await sql.query<LedgerRow>(`SELECT ${COLUMNS} FROM adapter_host_deliveries WHERE referral_id = $1 AND adapter_id = $2 ORDER BY created_at`, [referralId, adapterId]);
      const mine = rows.map(toEntry).map(({ plan, outcome: _outcome, ...record }) => {
        const traceparent = plan.traceparent ?? plan.routed.traceparent;
        return traceparent ? { ...record, traceparent } : record;
      });
      if (deliveryId) return mine.find((record) => record.deliveryId === deliveryId);
      return mine.find((record) => record.role === 'lead') ?? (mine.length === 1 ? mine[0] : undefined);
    },
    /** The plans of every recipient that is `queued`: the BullMQ jobs that should exist. */
    async queuedPlans(): Promise<DeliveryJobData[]> {
      const { rows } = await sql.query<{ plan: DeliveryJobData }>(
        `SELECT d.plan FROM adapter_host_recipients r JOIN adapter_host_deliveries d ON d.delivery_id = r.delivery_id
          WHERE r.state = 'queued' ORDER BY d.created_at`,
      );
      return rows.map((row) => row.plan);
    },
  };
}
