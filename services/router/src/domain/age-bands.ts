import type { AgeRange } from '@polku/catalogue';
import type { AgeBand } from '@polku/contracts';

const BAND_YEARS: Record<Exclude<AgeBand, 'unknown'>, AgeRange> = {
  '0-2': { min: 0, max: 2 },
  '3-6': { min: 3, max: 6 },
  '7-12': { min: 7, max: 12 },
  '13-15': { min: 13, max: 15 },
  '16-17': { min: 16, max: 17 },
  '18-29': { min: 18, max: 29 },
};

/**
 * Whether a service's age range can take a child of this band. A band is a span of years, so any
 * overlap counts: a 6-year-old in "3-6" may already be in pre-primary student welfare (6–20).
 * "unknown" matches every range; leaving a child unrouted because an age is missing helps nobody.
 */
export function bandFitsRange(band: AgeBand, range: AgeRange): boolean {
  if (band === 'unknown') return true;
  const years = BAND_YEARS[band];
  return years.min <= range.max && years.max >= range.min;
}
