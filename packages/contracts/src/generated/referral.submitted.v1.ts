// Generated from schemas/ by scripts/generate-types.ts. Do not edit: run `pnpm gen:types`.

import type { AgeBand, Language, LegalBasis, MunicipalityCode, NeedCodes, OrganisationId, ReferralId, SubjectRef, SubmitterRole, Timestamp, Urgency } from './common.v1';

/**
 * A referral (yhteydenotto) entered the one-contact front door. Routing attributes only; personal details stay in the vault behind the referral API.
 */
export interface ReferralSubmittedV1 {
  referralId: ReferralId;
  /**
   * Pseudonymous subject reference; absent when a resident refers themselves without an identity code.
   */
  subjectRef?: SubjectRef;
  needCodes: NeedCodes;
  urgency: Urgency;
  municipalityCode: MunicipalityCode;
  ageBand: AgeBand;
  language: Language;
  /**
   * Who submitted: organisation and role, never the person.
   */
  submitter: {
    organisationId: OrganisationId;
    role: SubmitterRole;
  };
  legalBasis: LegalBasis;
  submittedAt: Timestamp;
}
