import type { ReferralSubmittedV1 } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import { gateRecipients } from '../consent-gate';
import { decideRouting } from '../domain/decide-routing';
import { toRoutedData } from '../domain/routed-data';
import { publishCaused, type Cause } from '../publish-routing';
import { recordOf } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { coverageLog, gatedOf, publishAwaiting, resumeWaiting, sameRecipient, startDeadline } from './consent-routing';
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
 * A crash in between is healed by the redelivery: every event id is derived from the submitted
 * event's (dropped by every consumer's dedupe) and adding an existing timer is a no-op.
 */
export async function onSubmitted(ctx: RouterContext, timers: RouterTimers, event: CausingEvent<ReferralSubmittedV1>, log: Logger): Promise<void> {
  const referral = event.data;
  const decision = decideRouting(referral, ctx.catalogue, ctx.rules);
  const correlationid = event.correlationid ?? event.id;
  const record = recordOf(referral, correlationid, decision.lead, decision.viaCoordinator, decision.coWorkers);
  const coverage = await gateRecipients(ctx.consent, ctx.catalogue, gatedOf(record), [decision.lead, ...decision.coWorkers]);
  const waiting = coverage.filter((c) => !c.covered).map((c) => c.party);
  const leadCovered = !waiting.some((p) => sameRecipient(p, decision.lead));

  const now = ctx.now();
  await ctx.memory.put(record);
  const cause: Cause = { derivedFrom: event.id, causationid: event.id, correlationid, legalbasis: referral.legalBasis };
  const routedId = await publishCaused(ctx.outbox, 'routed', referral.referralId, cause, toRoutedData(referral.referralId, decision, now));
  await publishAwaiting(ctx, record, cause, waiting, now);
  if (waiting.length > 0 && record.subjectRef !== undefined) await ctx.memory.addWaiting(referral.referralId, record.subjectRef, waiting);
  const deadline = leadCovered ? await startDeadline(ctx, timers, record, routedId, now, decision.slaDeadline) : undefined;
  log.info(
    { referralId: referral.referralId, ruleId: decision.ruleId, lead: decision.lead.serviceId, viaCoordinator: decision.viaCoordinator, coverage: coverageLog(coverage), sla: deadline?.sla, dueAt: deadline?.dueAt },
    leadCovered ? 'referral routed' : 'referral routed: the lead waits for consent, deadline not started',
  );
  if (waiting.length > 0 && record.subjectRef === undefined) {
    log.warn({ referralId: referral.referralId, waiting: waiting.map((p) => p.serviceId) }, 'referral without a subject reference: recipients not allowed by statute can never be covered');
  }
  if (waiting.length > 0 && record.subjectRef !== undefined) await resumeWaiting(ctx, timers, record, cause, 'resume', log);
}
