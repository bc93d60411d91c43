import type { Sql } from '@polku/db';
import type { OperatorActionRequestedV1 } from '@polku/contracts';

/** One operator action as auditors read it: who, what, why, on what, and how it ended. */
export interface OperatorActionView {
  actionId: string;
  action: OperatorActionRequestedV1['action'];
  actor: OperatorActionRequestedV1['actor'];
  reason: { code: string; ticket?: string };
  target: Record<string, unknown> | null;
  filter: Record<string, unknown> | null;
  counts: Record<string, unknown> | null;
  requestedAt: string;
  /** `null` while the action runs, or when its outcome could not be written (the log of the service says). */
  outcome: 'succeeded' | 'failed' | 'cancelled' | null;
  errorCode: string | null;
  completedAt: string | null;
}

interface ActionRow {
  action_id: string; action: OperatorActionView['action']; actor: OperatorActionView['actor']; reason_code: string; ticket: string | null;
  target: Record<string, unknown> | null; filter: Record<string, unknown> | null; counts: Record<string, unknown> | null;
  requested_at: Date; outcome: OperatorActionView['outcome']; error_code: string | null; completed_at: Date | null;
}

const toView = (r: ActionRow): OperatorActionView => ({
  actionId: r.action_id, action: r.action, actor: r.actor, reason: { code: r.reason_code, ...(r.ticket ? { ticket: r.ticket } : {}) },
  target: r.target, filter: r.filter, counts: r.counts, requestedAt: r.requested_at.toISOString(),
  outcome: r.outcome, errorCode: r.error_code, completedAt: r.completed_at?.toISOString() ?? null,
});

export interface AuditTrailPage {
  actions: OperatorActionView[];
  /** Pass as `before` for the next (older) page. */
  next?: string;
}

/** Newest first; `before` is the `next` of the previous page (`<requested at>|<action id>`). */
export async function listOperatorActions(db: Sql, options: { limit: number; before?: { at: string; id: string } }): Promise<AuditTrailPage> {
  const { rows } = options.before
    ? await db.query<ActionRow>(
      'SELECT * FROM console_operator_actions WHERE (requested_at, action_id) < ($1, $2) ORDER BY requested_at DESC, action_id DESC LIMIT $3',
      [options.before.at, options.before.id, options.limit])
    : await db.query<ActionRow>('SELECT * FROM console_operator_actions ORDER BY requested_at DESC, action_id DESC LIMIT $1', [options.limit]);
  const actions = rows.map(toView);
  const last = actions.at(-1);
  return { actions, ...(actions.length === options.limit && last ? { next: `${last.requestedAt}|${last.actionId}` } : {}) };
}

/** The `before` cursor of a page, or undefined when it does not hold one. */
export function auditCursor(before: string | undefined): { at: string; id: string } | undefined {
  const match = before === undefined ? null : /^([^|]+)\|([0-9a-f-]{36})$/.exec(before);
  return match && !Number.isNaN(Date.parse(match[1]!)) ? { at: match[1]!, id: match[2]! } : undefined;
}
