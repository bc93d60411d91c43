import type { DataCategory, DisclosureDisclosedV2, LegalBasis, Party, SubmitterRole } from '@polku/contracts';
import { ROUTING_CATEGORIES, STATUTES, purposeFor, type DisclosureBasis } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';

/** What the host keeps of a submitted referral to ask the consent service: a pseudonym and a role, no person. */
export interface DisclosureSubject {
  /** Absent when a resident referred themselves without an identity code. */
  subjectRef?: string;
  submitterRole: SubmitterRole;
  /**
   * The submitting organisation: the discloser a permission's `disclosers` must cover. Absent in
   * subjects stored before it was kept (the discloser is then not checked).
   */
  submitterOrganisationId?: string;
  legalBasis: LegalBasis;
}

/** The basis as the disclosure log takes it. */
export type LoggedBasis = DisclosureDisclosedV2['basis'];

export type GateAnswer =
  | {
      allowed: true;
      basis: 'self-referral' | 'consent' | 'statute';
      /** The categories the delivery may carry (what `releaseOf` turns into fields). */
      categories: DataCategory[];
      /** The basis for the disclosure log; absent when it cannot be named (a statute the host does not know). */
      logged?: LoggedBasis;
    }
  | { allowed: false; reason: string };

/**
 * May the referral (its need codes: ROUTING_CATEGORIES) go to `recipient` now? A resident's
 * self-referral (role `resident`: set by the referral API only for a verified person about
 * themselves, never from a body; a guardian's referral is `guardian`) goes where it was routed; otherwise the consent service decides, every time.
 * @throws ConsentUnavailable when the consent service gives no answer (never deliver without one)
 */
export async function disclosureGate(decider: ConsentDecider, subject: DisclosureSubject, recipient: Party, referralId?: string): Promise<GateAnswer> {
  if (subject.submitterRole === 'resident') {
    // The resident's own request is the basis; the referral stands in as the consent (as in the referral API's log).
    return { allowed: true, basis: 'self-referral', categories: [...ROUTING_CATEGORIES], ...(referralId ? { logged: { kind: 'consent', consentId: referralId } } : {}) };
  }
  // A professional's referral always names the child (the referral API requires it); fail closed if not.
  if (!subject.subjectRef) return { allowed: false, reason: 'no-consent' };
  const decision = await decider.decide({
    subjectRef: subject.subjectRef,
    recipient,
    dataCategories: ROUTING_CATEGORIES,
    purpose: purposeFor(subject.legalBasis),
    legalBasis: subject.legalBasis,
    ...(subject.submitterOrganisationId ? { discloser: { organisationId: subject.submitterOrganisationId } } : {}),
  });
  if (!decision.allowed) return { allowed: false, reason: decision.reason };
  // Only what was asked and allowed, whatever the answer lists.
  const categories = ROUTING_CATEGORIES.filter((c) => decision.dataCategories.includes(c));
  const logged = loggedBasis(decision.basis, subject.legalBasis);
  return { allowed: true, basis: decision.basis.kind, categories, ...(logged ? { logged } : {}) };
}

function loggedBasis(basis: DisclosureBasis, legalBasis: LegalBasis): LoggedBasis | undefined {
  if (basis.kind === 'consent') return basis.consentIds[0] ? { kind: 'consent', consentId: basis.consentIds[0] } : undefined;
  // The consent service names a statute by its label (`LSL 25 §`) or its code.
  const found = Object.entries(STATUTES).find(([code, rule]) => code === basis.statute || rule.label === basis.statute)?.[0];
  const statute = found ?? (legalBasis !== 'consent' ? legalBasis : undefined);
  return statute ? { kind: 'statute', statute: statute as Extract<LoggedBasis, { kind: 'statute' }>['statute'] } : undefined;
}
