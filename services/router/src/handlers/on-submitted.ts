import type { ReferralSubmittedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import { decideRouting } from '../domain/decide-routing';
import { toRoutedData } from '../domain/routed-data';
import type { Cause } from '../publish-routing';
import { recordOf } from '../referral-record';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { coverageLog, publishGatedPlan } from './consent-routing';

/**
 * Routes a new referral behind the consent gate and starts its service-level clock
 * (`publishGatedPlan`, shared with the hand-overs to the coordinator):
 *
 * 1. Decide the plan (lead + co-workers) and ask the consent service about every recipient. No
 *    answer (`CONSENT_UNAVAILABLE`, retryable): the transaction rolls back, the bus retries.
 * 2. Remember the referral, announce `routed` (the plan) and one `awaiting-consent` per recipient
 *    not covered, index the waiting recipients under the subject, start the deadline if the lead is covered.
 * 3. Ask once more for the waiting ones: a consent granted while the gate was asked resumes here.
 *
 * All in the transaction that marks the submitted event handled, so a crash anywhere leaves
 * nothing behind and the redelivered event is routed afresh (same derived ids; adding an existing
 * timer is a no-op), and an event already handled is skipped as a whole.
 */
export async function onSubmitted(ctx: RouterContext, tx: Sql, event: CausingEvent<ReferralSubmittedV1>, log: Logger): Promise<void> {
  const referral = event.data;
  const decision = decideRouting(referral, ctx.catalogue, ctx.rules);
  const correlationid = event.correlationid ?? event.id;
  const record = recordOf(referral, correlationid, decision.lead, decision.viaCoordinator, decision.coWorkers);
  const cause: Cause = { derivedFrom: event.id, causationid: event.id, correlationid, legalbasis: referral.legalBasis };
  const now = ctx.now();
  const routed = toRoutedData(referral.referralId, decision, now);
  const { coverage, leadCovered, deadline } = await publishGatedPlan(ctx, tx, { record, routed, cause, now, deadline: { start: decision.slaDeadline } }, log);
  log.info(
    { referralId: referral.referralId, ruleId: decision.ruleId, lead: decision.lead.serviceId, viaCoordinator: decision.viaCoordinator, coverage: coverageLog(coverage), sla: deadline?.sla, dueAt: deadline?.dueAt },
    leadCovered ? 'referral routed' : 'referral routed: the lead waits for consent, deadline not started',
  );
}
