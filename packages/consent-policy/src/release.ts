import type { DataCategory } from '@polku/contracts';

/**
 * The fields of a referral that carry each data category, wherever they travel: in a details
 * answer of the referral API (claim check) or in a delivery to an external system. The need codes
 * and urgency describe the need as much as the free-text description does, so they belong to
 * `need-description` and go only with it.
 */
export const CATEGORY_FIELDS: Readonly<Record<DataCategory, readonly string[]>> = {
  identity: ['child'],
  contact: ['contact'],
  guardians: ['guardians'],
  'need-description': ['description', 'needCodes', 'urgency'],
  education: [],
  health: [],
  'social-care': [],
};

/** What a set of categories releases: the categories (sorted, no duplicates) and exactly their fields (sorted). */
export interface Release {
  categories: DataCategory[];
  fields: string[];
}

/**
 * Exactly which fields a set of released categories lets go, and nothing else: the one answer
 * the claim check and the adapter host's deliveries both release by and log. Pure.
 */
export function releaseOf(categories: readonly DataCategory[]): Release {
  const sorted = [...new Set(categories)].filter((c) => c in CATEGORY_FIELDS).sort();
  return { categories: sorted, fields: sorted.flatMap((c) => CATEGORY_FIELDS[c]).sort() };
}

/** Whether `field` goes with `release`. */
export const releases = (release: Release, field: string): boolean => release.fields.includes(field);

/**
 * Only the fields of `source` that `release` lets go (any other, personal or not, is dropped);
 * `fields` lists exactly the ones present, for the log entry.
 */
export function pickReleased<T extends Record<string, unknown>>(source: T, release: Release): { values: Partial<T>; fields: string[] } {
  const values: Partial<T> = {};
  for (const field of release.fields) {
    if (source[field] !== undefined) values[field as keyof T] = source[field] as T[keyof T];
  }
  return { values, fields: Object.keys(values).sort() };
}
