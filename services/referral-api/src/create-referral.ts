import { randomUUID } from 'node:crypto';
import type { Bus } from '@polku/bus';
import { createEvent, type CloudEvent } from '@polku/contracts';
import type { IdentityCode, Vault } from '@polku/personal-data';
import type { Caller } from '@polku/service-kit';
import type { ReferralRequest } from './domain/referral-request';
import { submittedData } from './domain/submitted-data';
import type { SubmitAnswer } from './idempotency/idempotency-store';

export const SUBMITTED_TYPE = 'fi.polku.referral.submitted.v1';

export interface ReferralIntake {
  vault: Vault;
  bus: Bus;
  /** Where `referral.submitted` goes: topicForType of it, or a test's fresh topic. */
  topic: string;
  pseudonymKey: Buffer;
}

/**
 * Creates a referral: the personal part into the vault first (so a recipient that claims the
 * details after routing finds them), then `referral.submitted` with routing attributes only.
 */
export async function createReferral(intake: ReferralIntake, request: ReferralRequest, caller: Caller, identity: IdentityCode | undefined): Promise<SubmitAnswer> {
  const referralId = randomUUID();
  const now = new Date();
  await intake.vault.put(referralId, personalPart(request, caller, identity));
  const data = submittedData(request, { referralId, organisationId: caller.organisationId, identity, pseudonymKey: intake.pseudonymKey, now });
  const event = createEvent(SUBMITTED_TYPE, {
    source: '/polku/referral-api',
    subject: referralId,
    time: now.toISOString(),
    data,
    correlationid: referralId,
    legalbasis: request.legalBasis,
  });
  // The bus takes events of any type and validates the data against the contract itself.
  await intake.bus.publish(intake.topic, event as unknown as CloudEvent);
  return { id: referralId, status: 'submitted', links: { self: `/v1/referrals/${referralId}` } };
}

/** Everything personal in the request, with who sent it, as the vault keeps it. */
function personalPart(request: ReferralRequest, caller: Caller, identity: IdentityCode | undefined) {
  const child = identity ? { ...request.child, identityCode: identity.normalised } : request.child;
  return {
    child,
    guardians: request.guardians,
    contact: request.contact,
    description: request.description,
    submitter: { ...request.submitter, organisationId: caller.organisationId, systemId: caller.systemId },
  };
}
