import type { LegalBasis, NeedCode, SubmitterRole, Urgency } from '@polku/contracts';

/**
 * The body of `POST /v1/referrals`, as its route schema (routes/referrals/submit-body-schema.ts)
 * admits it. Everything under `child`, `guardians`, `contact` and `description` is personal and
 * goes only into the vault.
 */
export interface ReferralRequest {
  submitter: { role: SubmitterRole; userRef?: string };
  child: { identityCode?: string; firstName: string; lastName: string; birthDate?: string };
  guardians: Guardian[];
  contact: { phone?: string; email?: string; preferredChannel?: ContactChannel };
  description: string;
  needCodes: NeedCode[];
  urgency: Urgency;
  municipalityCode: string;
  language: string;
  legalBasis: LegalBasis;
}

export const GUARDIAN_RELATIONSHIPS = ['parent', 'guardian', 'foster-parent', 'legal-representative', 'other'] as const;
export const CONTACT_CHANNELS = ['phone', 'sms', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface Guardian {
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
  relationship?: (typeof GUARDIAN_RELATIONSHIPS)[number];
}
