import type { Bus, ConsumerHooks } from '@polku/bus';
import { TOPICS, type CloudEvent, type OperatorActionCompletedV1, type OperatorActionRequestedV1 } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import { startProjection, type ProjectionSpec, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';

async function applyRequested(tx: Sql, data: OperatorActionRequestedV1): Promise<void> {
  await tx.query(
    `INSERT INTO console_operator_actions (action_id, action, actor, reason_code, ticket, target, filter, counts, requested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (action_id) DO NOTHING`,
    [data.actionId, data.action, JSON.stringify(data.actor), data.reason.code, data.reason.ticket ?? null,
      data.target ? JSON.stringify(data.target) : null, data.filter ? JSON.stringify(data.filter) : null, data.counts ? JSON.stringify(data.counts) : null, data.requestedAt],
  );
}

async function applyCompleted(tx: Sql, data: OperatorActionCompletedV1): Promise<void> {
  // Both events of an action are keyed by its id, so the request is always read first.
  await tx.query(
    'UPDATE console_operator_actions SET outcome = $2, error_code = $3, completed_at = $4, counts = COALESCE($5, counts) WHERE action_id = $1',
    [data.actionId, data.outcome, data.errorCode ?? null, data.completedAt, data.counts ? JSON.stringify(data.counts) : null],
  );
}

/** The operators' audit trail as auditors read it: one row per action with its outcome. */
export const auditProjectionSpec: ProjectionSpec = {
  name: 'console-audit',
  topics: [TOPICS.operatorAction],
  tables: ['console_operator_actions'],
  apply: async (tx, event: CloudEvent) => {
    if (event.type === 'fi.polku.operator-action.requested.v1') await applyRequested(tx, event.data as unknown as OperatorActionRequestedV1);
    else if (event.type === 'fi.polku.operator-action.completed.v1') await applyCompleted(tx, event.data as unknown as OperatorActionCompletedV1);
  },
};

export function startAuditProjection(options: { db: Database; bus: Bus; logger: Logger; hooks?: ConsumerHooks }): Promise<RunningProjection> {
  return startProjection({ ...options, spec: auditProjectionSpec });
}
