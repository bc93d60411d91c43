import type { ReferralAcceptedV1, ReferralCancelledV1 } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import type { RouterTimers } from './router-timers';
import { isSameParty } from './same-party';

/**
 * The lead took the referral on: its deadline no longer runs. An acceptance by someone else (a
 * co-worker) leaves the clock running, since the deadline is on the lead.
 */
export async function onAccepted(ctx: RouterContext, timers: RouterTimers, event: CausingEvent<ReferralAcceptedV1>, log: Logger): Promise<void> {
  const { referralId, by } = event.data;
  const record = await ctx.memory.get(referralId);
  if (record && !isSameParty(record.lead, by)) {
    log.info({ referralId, by: by.serviceId ?? by.organisationId, lead: record.lead.serviceId }, 'accepted by a service that is not the lead: deadline kept');
    return;
  }
  const stopped = await timers.sla.cancel(referralId);
  log.info({ referralId, stopped }, 'referral accepted: deadline stopped');
}

/** A cancelled referral needs nobody to accept it any more. */
export async function onCancelled(timers: RouterTimers, event: CausingEvent<ReferralCancelledV1>, log: Logger): Promise<void> {
  const stopped = await timers.sla.cancel(event.data.referralId);
  log.info({ referralId: event.data.referralId, stopped }, 'referral cancelled: deadline stopped');
}
