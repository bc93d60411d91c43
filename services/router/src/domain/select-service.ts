import { bandFitsRange } from './age-bands';
import type { Catalogue, Service, ServiceKind } from '@polku/catalogue';
import type { AgeBand, NeedCode, Statute } from '@polku/contracts';

export interface ServiceQuery {
  kind: ServiceKind;
  municipalityCode: string;
  ageBand: AgeBand;
  language: string;
  /** The service must serve at least one; omitted when a statute, not the need, decides the recipient. */
  needCodes?: readonly NeedCode[];
  /** The service must accept this statute (a statutory route). */
  statute?: Statute;
}

function covers(service: Service, query: ServiceQuery): boolean {
  return (
    service.kind === query.kind &&
    service.municipalities.includes(query.municipalityCode) &&
    bandFitsRange(query.ageBand, service.ages) &&
    (query.needCodes === undefined || query.needCodes.some((need) => service.needCodes.includes(need))) &&
    (query.statute === undefined || service.acceptsStatutory.includes(query.statute))
  );
}

/**
 * Orders covering services, best first: the family's language (preferred, never required: a
 * Finnish-only service still beats no service), then more of the needs served, then the more
 * local one (an area service over a region-wide one), then id so the same input always routes the same.
 */
function compare(query: ServiceQuery): (a: Service, b: Service) => number {
  const speaks = (s: Service): number => (s.languages.includes(query.language) ? 1 : 0);
  const served = (s: Service): number => query.needCodes?.filter((need) => s.needCodes.includes(need)).length ?? 0;
  return (a, b) =>
    speaks(b) - speaks(a) ||
    served(b) - served(a) ||
    a.municipalities.length - b.municipalities.length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The best service of a kind for this referral, or undefined when none covers it. */
export function selectService(catalogue: Catalogue, query: ServiceQuery): Service | undefined {
  return catalogue.services.filter((service) => covers(service, query)).sort(compare(query))[0];
}
