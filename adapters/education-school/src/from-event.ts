import type { Delivery, ReferralDetails } from '@polku/adapter-kit';
import type { SchoolReferral } from './school-api';

/** A Polku delivery and the details released for it → the school's referral payload (field mapping in README.md). */
export function toSchoolReferral(delivery: Delivery, released: ReferralDetails): SchoolReferral {
  const { referral, recipient } = delivery;
  return {
    deliveryId: delivery.deliveryId,
    referralId: delivery.referralId,
    role: delivery.role,
    service: { organisationId: recipient.organisationId, serviceId: recipient.serviceId },
    needCodes: [...referral.needCodes],
    urgency: referral.urgency,
    municipalityCode: referral.municipalityCode,
    ageBand: referral.ageBand,
    language: referral.language,
    legalBasis: referral.legalBasis,
    submittedAt: referral.submittedAt,
    callbackUrl: delivery.callbackUrl,
    dataCategories: [...released.dataCategories],
    details: released.details,
  };
}
