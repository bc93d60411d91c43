import type { ReferralRoutedV1 } from '@polku/contracts';
import type { RoutingDecision } from './decide-routing';
import { formatHelsinki } from './helsinki-time';

/**
 * The data of `fi.polku.referral.routed.v1`. The schema is closed, so the decision's extra fields
 * (statutory, coordinatorReason, slaDeadline) stay with the router's timers and never reach the topic.
 */
export function toRoutedData(referralId: string, decision: RoutingDecision, routedAt: Date): ReferralRoutedV1 {
  return {
    referralId,
    lead: { ...decision.lead },
    coWorkers: decision.coWorkers.map((party) => ({ ...party })),
    ruleId: decision.ruleId,
    viaCoordinator: decision.viaCoordinator,
    routedAt: formatHelsinki(routedAt),
  };
}
