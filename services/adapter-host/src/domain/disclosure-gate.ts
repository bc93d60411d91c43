import type { LegalBasis, Party, SubmitterRole } from '@polku/contracts';
import { ROUTING_CATEGORIES, purposeFor } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';

/** What the host keeps of a submitted referral to ask the consent service: a pseudonym and a role, no person. */
export interface DisclosureSubject {
  /** Absent when a resident referred themselves without an identity code. */
  subjectRef?: string;
  submitterRole: SubmitterRole;
  legalBasis: LegalBasis;
}

export type GateAnswer = { allowed: true; basis: 'self-referral' | 'consent' | 'statute' } | { allowed: false; reason: string };

/**
 * May the referral (its need codes: ROUTING_CATEGORIES) go to `recipient` now? A resident's
 * self-referral (role `resident`: set by the referral API only for a verified person about
 * themselves, never from a body; a guardian's referral is `guardian`) goes where it was routed; otherwise the consent service decides, every time.
 * @throws ConsentUnavailable when the consent service gives no answer (never deliver without one)
 */
export async function disclosureGate(decider: ConsentDecider, subject: DisclosureSubject, recipient: Party): Promise<GateAnswer> {
  if (subject.submitterRole === 'resident') return { allowed: true, basis: 'self-referral' };
  // A professional's referral always names the child (the referral API requires it); fail closed if not.
  if (!subject.subjectRef) return { allowed: false, reason: 'no-consent' };
  const decision = await decider.decide({
    subjectRef: subject.subjectRef,
    recipient,
    dataCategories: ROUTING_CATEGORIES,
    purpose: purposeFor(subject.legalBasis),
    legalBasis: subject.legalBasis,
  });
  return decision.allowed ? { allowed: true, basis: decision.basis.kind } : { allowed: false, reason: decision.reason };
}
