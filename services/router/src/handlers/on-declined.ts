import type { ReferralDeclinedV1 } from '@polku/contracts';
import { PolkuError, type Logger } from '@polku/service-kit';
import { coordinatorFor } from '../domain/decide-routing';
import { publishCoordinatorRoute } from '../publish-routing';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { isSameParty } from './same-party';

/**
 * The lead declined: the area's guidance coordinator takes the referral over ("never nowhere").
 * The deadline keeps running, now on the coordinator. A decline by a co-worker changes nothing,
 * and a coordinator that declines is left to the operators (there is nobody further to route to).
 */
export async function onDeclined(ctx: RouterContext, event: CausingEvent<ReferralDeclinedV1>, log: Logger): Promise<void> {
  const { referralId, by, reasonCode } = event.data;
  const record = await ctx.memory.get(referralId);
  if (!record) {
    // The submitted event comes first on the referral's partition, so this one was never routed here.
    throw new PolkuError('ROUTER_REFERRAL_UNKNOWN', `referral ${referralId} was declined but the router never routed it`);
  }
  if (!isSameParty(record.lead, by)) {
    log.info({ referralId, by: by.serviceId ?? by.organisationId, reasonCode }, 'declined by a service that is not the lead: route kept');
    return;
  }
  if (record.viaCoordinator) {
    log.warn({ referralId, reasonCode }, 'the guidance coordinator declined: no further route, left to the operators');
    return;
  }
  const coordinator = coordinatorFor(record, ctx.catalogue);
  const cause = { derivedFrom: event.id, causationid: event.id, correlationid: event.correlationid ?? record.correlationid, legalbasis: record.legalBasis };
  await publishCoordinatorRoute(ctx.outbox, record, coordinator, 'lead-declined', cause, ctx.now());
  await ctx.memory.put({ ...record, lead: coordinator, viaCoordinator: true });
  log.info({ referralId, reasonCode, coordinator: coordinator.serviceId }, 'lead declined: referral handed to the coordinator');
}
