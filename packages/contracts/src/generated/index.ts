// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

export type * from './common.v1';
export type * from './cloudevent.v1';
import type { ConsentExpiredV1 } from './consent.expired.v1';
import type { ConsentExpiredV2 } from './consent.expired.v2';
import type { ConsentGrantedV1 } from './consent.granted.v1';
import type { ConsentGrantedV2 } from './consent.granted.v2';
import type { ConsentWithdrawnV1 } from './consent.withdrawn.v1';
import type { ConsentWithdrawnV2 } from './consent.withdrawn.v2';
import type { DeliveryFailedV1 } from './delivery.failed.v1';
import type { DeliverySucceededV1 } from './delivery.succeeded.v1';
import type { DisclosureCheckpointSealedV1 } from './disclosure-checkpoint.sealed.v1';
import type { DisclosureConsentsViewedV1 } from './disclosure.consents-viewed.v1';
import type { DisclosureDisclosedV1 } from './disclosure.disclosed.v1';
import type { DisclosureDisclosedV2 } from './disclosure.disclosed.v2';
import type { DisclosureRefusedV1 } from './disclosure.refused.v1';
import type { OperatorActionCompletedV1 } from './operator-action.completed.v1';
import type { OperatorActionRequestedV1 } from './operator-action.requested.v1';
import type { ReferralAcceptedV1 } from './referral.accepted.v1';
import type { ReferralAwaitingConsentV1 } from './referral.awaiting-consent.v1';
import type { ReferralCancelledV1 } from './referral.cancelled.v1';
import type { ReferralClosedV1 } from './referral.closed.v1';
import type { ReferralContactMadeV1 } from './referral.contact-made.v1';
import type { ReferralDeclinedV1 } from './referral.declined.v1';
import type { ReferralDeliveredV1 } from './referral.delivered.v1';
import type { ReferralFollowUpDueV1 } from './referral.follow-up-due.v1';
import type { ReferralForwardedV1 } from './referral.forwarded.v1';
import type { ReferralRoutedV1 } from './referral.routed.v1';
import type { ReferralSlaBreachedV1 } from './referral.sla-breached.v1';
import type { ReferralSubmittedV1 } from './referral.submitted.v1';
export type { ConsentExpiredV1, ConsentExpiredV2, ConsentGrantedV1, ConsentGrantedV2, ConsentWithdrawnV1, ConsentWithdrawnV2, DeliveryFailedV1, DeliverySucceededV1, DisclosureCheckpointSealedV1, DisclosureConsentsViewedV1, DisclosureDisclosedV1, DisclosureDisclosedV2, DisclosureRefusedV1, OperatorActionCompletedV1, OperatorActionRequestedV1, ReferralAcceptedV1, ReferralAwaitingConsentV1, ReferralCancelledV1, ReferralClosedV1, ReferralContactMadeV1, ReferralDeclinedV1, ReferralDeliveredV1, ReferralFollowUpDueV1, ReferralForwardedV1, ReferralRoutedV1, ReferralSlaBreachedV1, ReferralSubmittedV1 };

/** Event type → the type of its `data`. */
export interface EventDataByType {
  'fi.polku.consent.expired.v1': ConsentExpiredV1;
  'fi.polku.consent.expired.v2': ConsentExpiredV2;
  'fi.polku.consent.granted.v1': ConsentGrantedV1;
  'fi.polku.consent.granted.v2': ConsentGrantedV2;
  'fi.polku.consent.withdrawn.v1': ConsentWithdrawnV1;
  'fi.polku.consent.withdrawn.v2': ConsentWithdrawnV2;
  'fi.polku.delivery.failed.v1': DeliveryFailedV1;
  'fi.polku.delivery.succeeded.v1': DeliverySucceededV1;
  'fi.polku.disclosure-checkpoint.sealed.v1': DisclosureCheckpointSealedV1;
  'fi.polku.disclosure.consents-viewed.v1': DisclosureConsentsViewedV1;
  'fi.polku.disclosure.disclosed.v1': DisclosureDisclosedV1;
  'fi.polku.disclosure.disclosed.v2': DisclosureDisclosedV2;
  'fi.polku.disclosure.refused.v1': DisclosureRefusedV1;
  'fi.polku.operator-action.completed.v1': OperatorActionCompletedV1;
  'fi.polku.operator-action.requested.v1': OperatorActionRequestedV1;
  'fi.polku.referral.accepted.v1': ReferralAcceptedV1;
  'fi.polku.referral.awaiting-consent.v1': ReferralAwaitingConsentV1;
  'fi.polku.referral.cancelled.v1': ReferralCancelledV1;
  'fi.polku.referral.closed.v1': ReferralClosedV1;
  'fi.polku.referral.contact-made.v1': ReferralContactMadeV1;
  'fi.polku.referral.declined.v1': ReferralDeclinedV1;
  'fi.polku.referral.delivered.v1': ReferralDeliveredV1;
  'fi.polku.referral.follow-up-due.v1': ReferralFollowUpDueV1;
  'fi.polku.referral.forwarded.v1': ReferralForwardedV1;
  'fi.polku.referral.routed.v1': ReferralRoutedV1;
  'fi.polku.referral.sla-breached.v1': ReferralSlaBreachedV1;
  'fi.polku.referral.submitted.v1': ReferralSubmittedV1;
}
