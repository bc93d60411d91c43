import type { Sector, ValidationIssue } from '@polku/contracts';
import type { Catalogue, Service } from './catalogue';

// Only these kinds make "never nowhere" hold: a notification needs child welfare, everything else a coordinator.
const REQUIRED_IN_EVERY_MUNICIPALITY = ['child-welfare', 'guidance-coordinator'] as const;
// DESIGN principle 3: NGOs and parishes always need consent.
const CONSENT_ONLY_SECTORS: readonly Sector[] = ['ngo', 'parish'];

/** Duplicate keys, each reported at the later occurrence. */
function duplicates(keys: readonly string[], pointer: (index: number) => string, what: string): ValidationIssue[] {
  const seen = new Set<string>();
  return keys.flatMap((key, index) => {
    if (seen.has(key)) return [{ path: pointer(index), message: `duplicate ${what} '${key}'` }];
    seen.add(key);
    return [];
  });
}

function checkService(service: Service, index: number, catalogue: Catalogue, known: ReadonlySet<string>): ValidationIssue[] {
  const at = `/services/${index}`;
  const issues: ValidationIssue[] = [];
  const organisation = catalogue.organisations.find((o) => o.id === service.organisationId);
  if (!organisation) {
    issues.push({ path: `${at}/organisationId`, message: `organisation '${service.organisationId}' does not exist` });
  }
  service.municipalities.forEach((code, i) => {
    if (!known.has(code)) issues.push({ path: `${at}/municipalities/${i}`, message: `unknown municipality code '${code}'` });
  });
  if (service.ages.min > service.ages.max) {
    issues.push({ path: `${at}/ages`, message: `min ${service.ages.min} is above max ${service.ages.max}` });
  }
  const sector = service.sector ?? organisation?.sector;
  if (sector && CONSENT_ONLY_SECTORS.includes(sector) && service.acceptsStatutory.length > 0) {
    issues.push({ path: `${at}/acceptsStatutory`, message: `a ${sector} service always needs consent` });
  }
  return issues;
}

function checkFallback(catalogue: Catalogue): ValidationIssue[] {
  const fallback = catalogue.services.find((s) => s.id === catalogue.fallbackServiceId);
  if (fallback?.kind === 'guidance-coordinator') return [];
  const message = fallback
    ? `service '${fallback.id}' is a ${fallback.kind}, not a guidance-coordinator`
    : `service '${catalogue.fallbackServiceId}' does not exist`;
  return [{ path: '/fallbackServiceId', message }];
}

function checkCoverage(catalogue: Catalogue): ValidationIssue[] {
  return catalogue.municipalities.flatMap((municipality, index) =>
    REQUIRED_IN_EVERY_MUNICIPALITY.filter(
      (kind) => !catalogue.services.some((s) => s.kind === kind && s.municipalities.includes(municipality.code)),
    ).map((kind) => ({ path: `/municipalities/${index}`, message: `no ${kind} service covers '${municipality.code}'` })),
  );
}

/** What the schema cannot say: references between entries, and the coverage routing relies on. */
export function crossCheckCatalogue(catalogue: Catalogue): ValidationIssue[] {
  const known = new Set(catalogue.municipalities.map((m) => m.code));
  return [
    ...duplicates(catalogue.municipalities.map((m) => m.code), (i) => `/municipalities/${i}/code`, 'municipality code'),
    ...duplicates(catalogue.organisations.map((o) => o.id), (i) => `/organisations/${i}/id`, 'organisation id'),
    ...duplicates(catalogue.services.map((s) => s.id), (i) => `/services/${i}/id`, 'service id'),
    ...catalogue.services.flatMap((service, index) => checkService(service, index, catalogue, known)),
    ...checkFallback(catalogue),
    ...checkCoverage(catalogue),
  ];
}
