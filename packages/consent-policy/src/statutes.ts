import type { LegalBasis, Sector, Statute } from '@polku/contracts';
import type { DisclosureRecipient } from './types';

interface StatuteRule {
  /** How the basis is written in a decision and the disclosure log. */
  label: string;
  /** Recipient sectors the statute discloses to. */
  sectors: readonly Sector[];
}

/**
 * Statutory routes that work without consent (DESIGN principle 3). `guidance` is listed
 * because the wellbeing area's guidance coordinators take statutory referrals too (the
 * catalogue says so, and the router hands an overdue one to them).
 */
export const STATUTES: Readonly<Record<Statute, StatuteRule>> = {
  'lsl-25': { label: 'LSL 25 §', sectors: ['social-services', 'guidance'] },
  'lsl-25a': { label: 'LSL 25 a §', sectors: ['social-services', 'guidance'] },
  'shl-35': { label: 'SHL 35 §', sectors: ['social-services', 'guidance'] },
};

/** NGOs and parishes always need consent, whatever the basis claimed. */
export const CONSENT_ONLY_SECTORS: readonly Sector[] = ['ngo', 'parish'];

/** The statute that allows this disclosure without consent, or undefined. */
export function statutoryBasis(legalBasis: LegalBasis | undefined, recipient: DisclosureRecipient): StatuteRule | undefined {
  if (legalBasis === undefined || legalBasis === 'consent') return undefined;
  if (CONSENT_ONLY_SECTORS.includes(recipient.sector)) return undefined;
  const rule = STATUTES[legalBasis];
  if (!rule.sectors.includes(recipient.sector)) return undefined;
  if (recipient.acceptsStatutory && !recipient.acceptsStatutory.includes(legalBasis)) return undefined;
  return rule;
}
