import type { EventHandler } from '@polku/bus';
import type { ReferralAcceptedV1, ReferralCancelledV1, ReferralClosedV1, ReferralDeclinedV1, ReferralSubmittedV1 } from '@polku/contracts';
import { asTyped } from './handlers/causing-event';
import { onAccepted, onCancelled } from './handlers/on-accepted';
import { onClosed } from './handlers/on-closed';
import { onDeclined } from './handlers/on-declined';
import { onSubmitted } from './handlers/on-submitted';
import type { RouterTimers } from './handlers/router-timers';
import type { RouterContext } from './router-context';

/**
 * The router's part in the referral lifecycle, by event type. Every other type (its own routed,
 * sla-breached and follow-up-due among them) is none of its business and is simply committed.
 */
export function handleReferralEvent(ctx: RouterContext, timers: RouterTimers): EventHandler {
  return async (event, { logger }) => {
    switch (event.type) {
      case 'fi.polku.referral.submitted.v1':
        return onSubmitted(ctx, timers, asTyped<ReferralSubmittedV1>(event), logger);
      case 'fi.polku.referral.accepted.v1':
        return onAccepted(ctx, timers, asTyped<ReferralAcceptedV1>(event), logger);
      case 'fi.polku.referral.declined.v1':
        return onDeclined(ctx, timers, asTyped<ReferralDeclinedV1>(event), logger);
      case 'fi.polku.referral.closed.v1':
        return onClosed(ctx, timers, asTyped<ReferralClosedV1>(event), logger);
      case 'fi.polku.referral.cancelled.v1':
        return onCancelled(timers, asTyped<ReferralCancelledV1>(event), logger);
      default:
        return;
    }
  };
}
