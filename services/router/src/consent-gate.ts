import type { Catalogue } from '@polku/catalogue';
import { ROUTING_CATEGORIES, purposeFor, statutoryBasis, type DisclosureRecipient } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { LegalBasis, Party, Purpose } from '@polku/contracts';
import type { RoutedParty } from './domain/decide-routing';

/** What the gate needs to know of a referral. Codes and references only. */
export interface GatedReferral {
  subjectRef?: string | undefined;
  legalBasis: LegalBasis;
  /** Submitted by a verified resident about themselves (submitter role `resident`, see isSelfReferral): their own request, no gate. A guardian's referral is not one. */
  selfReferral: boolean;
  /** Who discloses the need codes to the recipients: the submitting organisation. @defaultValue not checked */
  discloser?: Party;
}

/**
 * Why a recipient may receive the referral, as a code for the router's log (the disclosure log
 * proper is the referral API's): `self-referral`, `statute:<legal basis>` or `consent:<consent ids>`.
 */
export type CoverageBasis = string;

export type Coverage =
  | { party: RoutedParty; covered: true; basis: CoverageBasis }
  | { party: RoutedParty; covered: false; reason: string };

/** The question routing asks for every recipient: the need codes, for the referral's purpose. */
export function routingQuestion(legalBasis: LegalBasis): { dataCategories: typeof ROUTING_CATEGORIES; purpose: Purpose } {
  return { dataCategories: ROUTING_CATEGORIES, purpose: purposeFor(legalBasis) };
}

/**
 * May each of `parties` receive the referral now? Asks the consent service for every one (it also
 * knows the statutes); a referral without a subject reference cannot be looked up, so only a
 * statutory recipient passes. Throws `ConsentUnavailable` (retryable) when the consent service
 * does not answer: the router never routes without an answer.
 */
export async function gateRecipients(
  consent: ConsentDecider,
  catalogue: Catalogue,
  referral: GatedReferral,
  parties: readonly RoutedParty[],
): Promise<Coverage[]> {
  const { dataCategories, purpose } = routingQuestion(referral.legalBasis);
  return Promise.all(
    parties.map(async (party): Promise<Coverage> => {
      if (referral.selfReferral) return { party, covered: true, basis: 'self-referral' };
      if (referral.subjectRef === undefined) {
        const statute = statutoryBasis(referral.legalBasis, asRecipient(catalogue, party));
        return statute ? { party, covered: true, basis: `statute:${referral.legalBasis}` } : { party, covered: false, reason: 'no-subject-ref' };
      }
      const decision = await consent.decide({
        subjectRef: referral.subjectRef, recipient: party, dataCategories, purpose, legalBasis: referral.legalBasis,
        ...(referral.discloser ? { discloser: referral.discloser } : {}),
      });
      if (!decision.allowed) return { party, covered: false, reason: decision.reason };
      const basis = decision.basis.kind === 'statute' ? `statute:${referral.legalBasis}` : `consent:${decision.basis.consentIds.join(',')}`;
      return { party, covered: true, basis };
    }),
  );
}

/** The recipient as the catalogue knows it (its sector, the statutes its service accepts). */
export function asRecipient(catalogue: Catalogue, party: RoutedParty): DisclosureRecipient {
  const service = catalogue.services.find((s) => s.id === party.serviceId);
  const organisation = catalogue.organisations.find((o) => o.id === party.organisationId);
  const sector = service?.sector ?? organisation?.sector ?? party.sector;
  // A party the catalogue does not know is refused (no sector: treated as consent-only).
  return { organisationId: party.organisationId, sector: sector ?? 'ngo', acceptsStatutory: service?.acceptsStatutory ?? [] };
}

/** A recipient's key among the waiting ones: its service id, else its organisation id. */
export function partyKey(party: { organisationId: string; serviceId?: string | undefined }): string {
  return party.serviceId ?? party.organisationId;
}
