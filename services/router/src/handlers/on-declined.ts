import type { ReferralDeclinedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { PolkuError, type Logger } from '@polku/service-kit';
import { coordinatorFor } from '../domain/decide-routing';
import type { Cause } from '../publish-routing';
import { sqlReferralMemory } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';
import { coordinatorPlan, coverageLog, publishGatedPlan } from './consent-routing';
import { isSameParty } from './same-party';

/**
 * The lead declined: the area's guidance coordinator takes the referral over ("never nowhere"),
 * behind the consent gate like any route (`publishGatedPlan`): a coordinator not covered gets an
 * `awaiting-consent` right after the `routed` and waits for consent. The deadline keeps running,
 * now on the coordinator, if the coordinator is covered; otherwise it stops and starts when the
 * coordinator becomes covered. A decline by a co-worker changes nothing, and a coordinator that
 * declines is left to the operators (there is nobody further to route to).
 */
export async function onDeclined(ctx: RouterContext, tx: Sql, event: CausingEvent<ReferralDeclinedV1>, log: Logger): Promise<void> {
  const { referralId, by, reasonCode } = event.data;
  const record = await sqlReferralMemory(tx).lock(referralId);
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
  const cause: Cause = { derivedFrom: event.id, causationid: event.id, correlationid: event.correlationid ?? record.correlationid, legalbasis: record.legalBasis };
  const now = ctx.now();
  const { coverage, leadCovered } = await publishGatedPlan(ctx, tx, { ...coordinatorPlan(record, coordinator, 'lead-declined', now), cause, now, deadline: 'keep' }, log);
  log.info(
    { referralId, reasonCode, coordinator: coordinator.serviceId, coverage: coverageLog(coverage) },
    leadCovered ? 'lead declined: referral handed to the coordinator' : 'lead declined: referral handed to the coordinator, who waits for consent (deadline stopped)',
  );
}
