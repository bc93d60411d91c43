import type { Database } from '@polku/db';
import type { AuditActor, AuditReason, OperatorAudit } from '@polku/operator-audit';
import { errorCode } from '@polku/service-kit';
import { lockOpen, replayLocked, retryTopicOf, type Replayer } from './replay-record';

export interface ActionDeps {
  db: Database;
  audit: OperatorAudit;
  replayer: Replayer;
}

/**
 * Checks first (so a refusal costs no audit entry), audits, then acts; the outcome follows the
 * action whatever it was. An action whose audit cannot be written throws before anything changes.
 */
async function audited<T>(deps: ActionDeps, request: Parameters<OperatorAudit['requested']>[0], check: () => Promise<void>, act: () => Promise<T>): Promise<T> {
  await check();
  const actionId = await deps.audit.requested(request);
  try {
    const result = await act();
    await deps.audit.completed(actionId, request.action, { outcome: 'succeeded' });
    return result;
  } catch (error) {
    await deps.audit.completed(actionId, request.action, { outcome: 'failed', errorCode: errorCode(error) });
    throw error;
  }
}

/** Replays one open dead letter to the retry topic of the consumer that failed. */
export async function replayOne(deps: ActionDeps, id: string, actor: AuditActor, reason: AuditReason): Promise<void> {
  const { maxReplays } = deps.replayer;
  await audited(
    deps,
    { action: 'dead-letter.replay', actor, reason, target: { deadLetterId: id } },
    // Refusals that need no audit entry: not open, parked, or no retry topic to send it to.
    () => deps.db.transaction(async (tx) => void (await retryTopicOf(deps.replayer.admin, (await lockOpen(tx, id, maxReplays)).consumer))),
    () => deps.db.transaction(async (tx) => replayLocked(tx, await lockOpen(tx, id, maxReplays), deps.replayer)),
  );
}

/** Parks an open dead letter: it stays in the register, and is never replayed. */
export async function parkOne(deps: ActionDeps, id: string, actor: AuditActor, reason: AuditReason): Promise<void> {
  const park = (act: boolean) => deps.db.transaction(async (tx) => {
    // A dead letter past its replays is parked already; parking one that is open is the operator's call.
    await lockOpen(tx, id, Number.POSITIVE_INFINITY);
    if (act) await tx.query("UPDATE dead_letters SET state = 'parked', parked_reason = $2, state_changed_at = now() WHERE id = $1", [id, reason.code]);
  });
  await audited(deps, { action: 'dead-letter.park', actor, reason, target: { deadLetterId: id } }, () => park(false), () => park(true));
}
