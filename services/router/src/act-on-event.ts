import type { HandlerContext } from '@polku/bus';
import type { CloudEvent, ConsentGrantedV1, ReferralAcceptedV1, ReferralCancelledV1, ReferralClosedV1, ReferralDeclinedV1, ReferralSubmittedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { asTyped } from './handlers/causing-event';
import { onAccepted, onCancelled } from './handlers/on-accepted';
import { onClosed } from './handlers/on-closed';
import { onConsentGranted } from './handlers/on-consent-granted';
import { onDeclined } from './handlers/on-declined';
import { onSubmitted } from './handlers/on-submitted';
import type { RouterContext } from './router-context';

/**
 * What the router does about an event it acts on, by event type, in the handling's transaction:
 * its part in the referral lifecycle, and granted consents resuming routing. Every other type (its
 * own routed, sla-breached and follow-up-due among them) is none of its business.
 */
export async function actOnEvent(ctx: RouterContext, tx: Sql, event: CloudEvent, context: HandlerContext): Promise<void> {
  const { logger } = context;
  switch (event.type) {
    case 'fi.polku.referral.submitted.v1':
      return onSubmitted(ctx, tx, asTyped<ReferralSubmittedV1>(event), logger);
    case 'fi.polku.referral.accepted.v1':
      return onAccepted(ctx, tx, asTyped<ReferralAcceptedV1>(event), logger);
    case 'fi.polku.referral.declined.v1':
      return onDeclined(ctx, tx, asTyped<ReferralDeclinedV1>(event), logger);
    case 'fi.polku.referral.closed.v1':
      return onClosed(ctx, tx, asTyped<ReferralClosedV1>(event), logger);
    case 'fi.polku.referral.cancelled.v1':
      return onCancelled(ctx, tx, asTyped<ReferralCancelledV1>(event), logger);
    case 'fi.polku.consent.granted.v1':
    case 'fi.polku.consent.granted.v2':
      return onConsentGranted(ctx, tx, asTyped<ConsentGrantedV1>(event), context);
    default:
      return;
  }
}
