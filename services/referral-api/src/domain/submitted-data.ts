import type { ReferralSubmittedV1, SubmitterRole } from '@polku/contracts';
import { ageBandOf, ageInYears, subjectRefOf, type AgeBand, type IdentityCode } from '@polku/personal-data';
import type { ReferralRequest } from './referral-request';

export interface Submission {
  referralId: string;
  /** From the caller's API key, never from the body. */
  organisationId: string;
  /** From the key and the person assertion (submitterOf), never the body. */
  role: SubmitterRole;
  /** The checked identity code, when the request has one. */
  identity: IdentityCode | undefined;
  pseudonymKey: Buffer;
  now: Date;
}

/**
 * The data of `referral.submitted`: routing attributes only. The identity code becomes a keyed
 * hash and the birth date an age band; names, contacts and the description are left out.
 */
export function submittedData(request: ReferralRequest, submission: Submission): ReferralSubmittedV1 {
  const { referralId, organisationId, role, identity, pseudonymKey, now } = submission;
  const data: ReferralSubmittedV1 = {
    referralId,
    needCodes: request.needCodes as ReferralSubmittedV1['needCodes'],
    urgency: request.urgency,
    municipalityCode: request.municipalityCode,
    ageBand: ageBandAt(identity, request.child.birthDate, now),
    language: request.language,
    submitter: { organisationId, role },
    legalBasis: request.legalBasis,
    submittedAt: now.toISOString(),
  };
  // Absent rather than undefined: the contract is closed and a self-referral may have no code.
  if (identity) data.subjectRef = subjectRefOf(identity.normalised, pseudonymKey);
  return data;
}

/** From the identity code when there is one, else the stated birth date, else unknown. */
export function ageBandAt(identity: IdentityCode | undefined, birthDate: string | undefined, now: Date): AgeBand {
  const birth = identity?.birthDate ?? parseBirthDate(birthDate);
  return ageBandOf(birth ? ageInYears(birth, now) : undefined);
}

function parseBirthDate(text: string | undefined): { year: number; month: number; day: number } | undefined {
  const match = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
}
