import type { ReferralAcceptedV1, ReferralCancelledV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import { sqlReferralMemory } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { isSameParty } from './same-party';

/**
 * The lead took the referral on: its deadline no longer runs. An acceptance by someone else (a
 * co-worker) leaves the clock running, since the deadline is on the lead.
 */
export async function onAccepted(ctx: RouterContext, tx: Sql, event: CausingEvent<ReferralAcceptedV1>, log: Logger): Promise<void> {
  const { referralId, by } = event.data;
  const record = await sqlReferralMemory(tx).lock(referralId);
  if (record && !isSameParty(record.lead, by)) {
    log.info({ referralId, by: by.serviceId ?? by.organisationId, lead: record.lead.serviceId }, 'accepted by a service that is not the lead: deadline kept');
    return;
  }
  const stopped = await ctx.timers.sla.cancel(tx, referralId);
  log.info({ referralId, stopped }, 'referral accepted: deadline stopped');
}

/** A cancelled referral needs nobody to accept it any more. */
export async function onCancelled(ctx: RouterContext, tx: Sql, event: CausingEvent<ReferralCancelledV1>, log: Logger): Promise<void> {
  await sqlReferralMemory(tx).lock(event.data.referralId);
  const stopped = await ctx.timers.sla.cancel(tx, event.data.referralId);
  log.info({ referralId: event.data.referralId, stopped }, 'referral cancelled: deadline stopped');
}
