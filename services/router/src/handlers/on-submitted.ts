import type { ReferralSubmittedV1 } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import { decideRouting } from '../domain/decide-routing';
import { toRoutedData } from '../domain/routed-data';
import type { Cause } from '../publish-routing';
import { recordOf } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { coverageLog, publishGatedPlan } from './consent-routing';
import type { RouterTimers } from './router-timers';

/**
 * Routes a new referral behind the consent gate and starts its service-level clock.
 *
 * 1. Decide the plan (lead + co-workers) and ask the consent service about every recipient. No
 *    answer (`CONSENT_UNAVAILABLE`, retryable): nothing is remembered or published, the bus retries.
 * 2. Remember → publish `routed` (the plan) → one `awaiting-consent` per recipient not covered →
 *    index the waiting recipients under the subject → start the deadline if the lead is covered.
 * 3. Ask once more for the waiting ones: a consent granted while this handler ran (seen by the
 *    consent consumer before the waiting index was written) resumes here.
 *
 * (Steps 1–3 are `publishGatedPlan`, shared with the hand-overs to the coordinator.) A crash in
 * between is healed by the redelivery: every event id is derived from the submitted event's
 * (dropped by every consumer's dedupe) and adding an existing timer is a no-op.
 */
export async function onSubmitted(ctx: RouterContext, timers: RouterTimers, event: CausingEvent<ReferralSubmittedV1>, log: Logger): Promise<void> {
  const referral = event.data;
  const decision = decideRouting(referral, ctx.catalogue, ctx.rules);
  const correlationid = event.correlationid ?? event.id;
  const record = recordOf(referral, correlationid, decision.lead, decision.viaCoordinator, decision.coWorkers);
  const cause: Cause = { derivedFrom: event.id, causationid: event.id, correlationid, legalbasis: referral.legalBasis };
  const now = ctx.now();
  const routed = toRoutedData(referral.referralId, decision, now);
  const { coverage, leadCovered, deadline } = await publishGatedPlan(ctx, timers, { record, routed, cause, now, remember: 'before-publish', deadline: { start: decision.slaDeadline } }, log);
  log.info(
    { referralId: referral.referralId, ruleId: decision.ruleId, lead: decision.lead.serviceId, viaCoordinator: decision.viaCoordinator, coverage: coverageLog(coverage), sla: deadline?.sla, dueAt: deadline?.dueAt },
    leadCovered ? 'referral routed' : 'referral routed: the lead waits for consent, deadline not started',
  );
}
