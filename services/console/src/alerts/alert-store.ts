import type { Sql } from '@polku/db';
import type { AlertRow, AlertState } from '../domain/alert-state';

const COLUMNS = `alert_key AS key, kind, about, state, since, active_since AS "activeSince", value, threshold, detail`;

interface StoredRow extends Omit<AlertRow, 'since' | 'activeSince'> {
  since: Date;
  activeSince: Date | null;
}

const toRow = (row: StoredRow): AlertRow => ({ ...row, since: row.since.toISOString(), activeSince: row.activeSince?.toISOString() ?? null });

export async function allAlerts(tx: Sql, lock = false): Promise<Map<string, AlertRow>> {
  const { rows } = await tx.query<StoredRow>(`SELECT ${COLUMNS} FROM console_alerts${lock ? ' FOR UPDATE' : ''}`);
  return new Map(rows.map((row) => [row.key, toRow(row)]));
}

export async function saveAlert(tx: Sql, row: AlertRow, evaluatedAt: Date): Promise<void> {
  await tx.query(
    `INSERT INTO console_alerts (alert_key, kind, about, state, since, active_since, value, threshold, detail, evaluated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (alert_key) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since, active_since = EXCLUDED.active_since,
       value = EXCLUDED.value, threshold = EXCLUDED.threshold, detail = EXCLUDED.detail, evaluated_at = EXCLUDED.evaluated_at`,
    [row.key, row.kind, row.about, row.state, row.since, row.activeSince, row.value, row.threshold, JSON.stringify(row.detail), evaluatedAt],
  );
}

/** Alerts in the given states whose state began at or after `since`, firing first, newest first. */
export async function listAlerts(db: Sql, filter: { states: AlertState[]; since?: Date }): Promise<{ alerts: AlertRow[]; evaluatedAt: string | null }> {
  const { rows } = await db.query<StoredRow>(
    `SELECT ${COLUMNS} FROM console_alerts WHERE state = ANY($1) AND ($2::timestamptz IS NULL OR since >= $2)
      ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, since DESC, alert_key`,
    [filter.states, filter.since ?? null],
  );
  const { rows: last } = await db.query<{ at: Date | null }>('SELECT max(evaluated_at) AS at FROM console_alerts');
  return { alerts: rows.map(toRow), evaluatedAt: last[0]?.at?.toISOString() ?? null };
}
