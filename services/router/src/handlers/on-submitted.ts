import type { ReferralSubmittedV1 } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import { decideRouting } from '../domain/decide-routing';
import { formatHelsinki } from '../domain/helsinki-time';
import { toRoutedData } from '../domain/routed-data';
import { publishCaused } from '../publish-routing';
import { recordOf } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import type { RouterTimers } from './router-timers';

/**
 * Routes a new referral and starts its service-level clock. Publish first, then schedule: a crash
 * in between is healed by the redelivery, which republishes the same event id (dropped by every
 * consumer) and adds the job, a no-op if it already exists.
 */
export async function onSubmitted(ctx: RouterContext, timers: RouterTimers, event: CausingEvent<ReferralSubmittedV1>, log: Logger): Promise<void> {
  const referral = event.data;
  const decision = decideRouting(referral, ctx.catalogue, ctx.rules);
  const now = ctx.now();
  const correlationid = event.correlationid ?? event.id;
  const record = recordOf(referral, correlationid, decision.lead, decision.viaCoordinator);
  await ctx.memory.put(record);
  const cause = { derivedFrom: event.id, causationid: event.id, correlationid, legalbasis: referral.legalBasis };
  const routedId = await publishCaused(ctx.outbox, 'routed', referral.referralId, cause, toRoutedData(referral.referralId, decision, now));
  const override = ctx.timing.slaOverrideMs;
  const dueAt = override === undefined ? decision.slaDeadline.dueAt : new Date(now.getTime() + override);
  const sla = decision.slaDeadline.sla;
  await timers.sla.schedule({ referralId: referral.referralId, dueAt: formatHelsinki(dueAt), sla, causationid: routedId, referral: record }, dueAt, now);
  log.info({ referralId: referral.referralId, ruleId: decision.ruleId, lead: decision.lead.serviceId, viaCoordinator: decision.viaCoordinator, sla, dueAt }, 'referral routed');
}
