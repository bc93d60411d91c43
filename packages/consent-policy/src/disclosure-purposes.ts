import type { DataCategory, LegalBasis, Purpose } from '@polku/contracts';
import type { RefusalReason } from './types';

/**
 * Routing a referral to a recipient discloses that the family needs help and with what:
 * the need codes. So routing asks for this category; the personal details behind the
 * referral are asked for separately, per category, when a recipient fetches them.
 */
export const ROUTING_CATEGORIES: readonly DataCategory[] = ['need-description'];

/** The purpose a referral's data is disclosed for, by the referral's legal basis. */
export function purposeFor(legalBasis: LegalBasis | undefined): Purpose {
  return legalBasis === 'lsl-25' || legalBasis === 'lsl-25a' ? 'child-welfare-assessment' : 'service-provision';
}

/** A refusal as the disclosure log's `reasonCode` names it. */
export function refusalReasonCode(reason: RefusalReason): 'no-consent' | 'ban-in-force' | 'consent-expired' | 'consent-withdrawn' | 'recipient-not-covered' {
  const codes = { 'no-consent': 'no-consent', banned: 'ban-in-force', expired: 'consent-expired', withdrawn: 'consent-withdrawn', 'not-covered': 'recipient-not-covered' } as const;
  return codes[reason];
}
