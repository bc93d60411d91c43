import type { Catalogue } from '@polku/catalogue';
import type { DisclosureRecipient } from '@polku/consent-policy';
import type { ConsentRecipient, Party, Sector } from '@polku/contracts';
import type { FieldProblem } from '@polku/service-kit';

/** Finnish names of sectors, for receipts (a resident reads them). */
const SECTOR_NAMES: Record<Sector, string> = {
  education: 'sivistystoimi',
  'social-services': 'sosiaalipalvelut',
  health: 'terveyspalvelut',
  ngo: 'järjestöt',
  parish: 'seurakunnat',
  guidance: 'asiakasohjaus',
};

const problem = (field: string, message: string): FieldProblem => ({ field, in: 'body', message });

/** Every catalogue reference in one party (a discloser or a named recipient), checked. */
export function checkParty(catalogue: Catalogue, party: Party, at: string): FieldProblem[] {
  const organisation = catalogue.organisations.find((o) => o.id === party.organisationId);
  if (!organisation) return [problem(`${at}/organisationId`, 'names no organisation in the service catalogue')];
  if (party.serviceId === undefined) {
    return party.sector !== undefined && party.sector !== organisation.sector ? [problem(`${at}/sector`, `must be ${organisation.sector}, the organisation's sector`)] : [];
  }
  const service = catalogue.services.find((s) => s.id === party.serviceId);
  if (!service || service.organisationId !== organisation.id) return [problem(`${at}/serviceId`, `names no service of ${organisation.id} in the service catalogue`)];
  const sector = service.sector ?? organisation.sector;
  return party.sector !== undefined && party.sector !== sector ? [problem(`${at}/sector`, `must be ${sector}, the service's sector`)] : [];
}

export function checkRecipients(catalogue: Catalogue, recipients: readonly ConsentRecipient[], at = '/recipients'): FieldProblem[] {
  return recipients.flatMap((r, i) => ('organisationId' in r ? checkParty(catalogue, r, `${at}/${i}`) : []));
}

/**
 * The recipient of a decision as the catalogue knows it: its real sector and, for a named
 * service, the statutes it accepts. What a caller asserts about sectors is checked, not trusted.
 */
export function resolveRecipient(catalogue: Catalogue, asked: Party, at = '/recipient'): DisclosureRecipient | FieldProblem[] {
  const problems = checkParty(catalogue, asked, at);
  if (problems.length > 0) return problems;
  const organisation = catalogue.organisations.find((o) => o.id === asked.organisationId)!;
  if (asked.serviceId === undefined) return { organisationId: organisation.id, sector: organisation.sector };
  const service = catalogue.services.find((s) => s.id === asked.serviceId)!;
  return { organisationId: organisation.id, serviceId: service.id, sector: service.sector ?? organisation.sector, acceptsStatutory: service.acceptsStatutory };
}

/** How a receipt names a party or sector. */
export function displayName(catalogue: Catalogue, recipient: ConsentRecipient): string {
  if (!('organisationId' in recipient)) return `Sektori: ${SECTOR_NAMES[recipient.sector]}`;
  const organisation = catalogue.organisations.find((o) => o.id === recipient.organisationId)?.name.fi ?? recipient.organisationId;
  if (recipient.serviceId === undefined) return organisation;
  const service = catalogue.services.find((s) => s.id === recipient.serviceId)?.name.fi ?? recipient.serviceId;
  return `${organisation}: ${service}`;
}
