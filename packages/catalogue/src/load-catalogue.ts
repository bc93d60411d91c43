import { resolve } from 'node:path';
import type { Catalogue } from './catalogue';
import { crossCheckCatalogue } from './catalogue-checks';
import { deepFreeze } from './deep-freeze';
import { readJsonFile } from './read-json-file';
import { schemaCheck, type SchemaCheck } from './schema-validator';
import { SetupFileInvalid } from './setup-errors';

/** The catalogue shipped with Polku: Keski-Suomi. */
export const KESKI_SUOMI_CATALOGUE = resolve(import.meta.dirname, '../data/keski-suomi.catalogue.json');

let check: SchemaCheck | undefined;

/**
 * Validates a parsed catalogue and returns it frozen. Cross-checks (references, coverage) run
 * only once the shape is right, since they read the entries the schema vouches for.
 * @throws SetupFileInvalid (CATALOGUE_INVALID) listing every problem with its JSON pointer.
 */
export function parseCatalogue(data: unknown, source = 'catalogue'): Catalogue {
  check ??= schemaCheck(resolve(import.meta.dirname, '../data/catalogue.schema.json'));
  let issues = check(data);
  if (issues.length === 0) issues = crossCheckCatalogue(data as Catalogue);
  if (issues.length > 0) throw new SetupFileInvalid('CATALOGUE_INVALID', source, issues);
  return deepFreeze(data as Catalogue);
}

/** Reads and validates a catalogue file at start. */
export async function loadCatalogue(file: string = KESKI_SUOMI_CATALOGUE): Promise<Catalogue> {
  const { data, issues } = await readJsonFile(file);
  if (issues.length > 0) throw new SetupFileInvalid('CATALOGUE_INVALID', file, issues);
  return parseCatalogue(data, file);
}
