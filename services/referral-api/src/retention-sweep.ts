import type { Sql } from '@polku/db';

/** How long each swept kind is kept (infra/retention.json). */
export interface RetentionPeriods {
  /** `disclosure-log`: POLKU_DISCLOSURE_RETENTION_MS. */
  disclosureLogMs: number;
}

export interface Swept {
  disclosureEntries: number;
  loggedDeliveries: number;
}

/**
 * Deletes the PostgreSQL rows of the disclosure log past retention: the view `disclosure_entries`
 * (its topic drops the same records by retention.ms) and the per-delivery record
 * `disclosure_logged_deliveries`. Idempotent, so every instance may run it. Vault details and
 * idempotency answers are swept beside it (vault-janitor.ts).
 */
export async function sweepPastRetention(db: Sql, periods: RetentionPeriods, now: Date): Promise<Swept> {
  const cutoff = new Date(now.getTime() - periods.disclosureLogMs);
  const entries = await db.query('DELETE FROM disclosure_entries WHERE at < $1', [cutoff]);
  const logged = await db.query('DELETE FROM disclosure_logged_deliveries WHERE logged_at < $1', [cutoff]);
  return { disclosureEntries: entries.rowCount ?? 0, loggedDeliveries: logged.rowCount ?? 0 };
}
