import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LegalBasis, NeedCode, Sector, SubmitterRole, Urgency } from './generated/common.v1';
import { SCHEMAS_DIR } from './schema-files';

/**
 * The code lists of schemas/common/common.v1.json, read from the schema itself so an HTTP API
 * that accepts these codes (e.g. the referral API's request schema) can never drift from the
 * events it produces.
 */
type Definition = Record<string, unknown>;

const COMMON = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'common', 'common.v1.json'), 'utf8')) as { $defs: Record<string, Definition> };

/**
 * A copy of one `$defs` entry (e.g. `language`, `municipalityCode`), for embedding in another
 * schema. Entries that `$ref` other entries are refused: the reference would not resolve there.
 */
export function commonDefinition(name: string): Definition {
  const definition = COMMON.$defs[name];
  if (!definition) throw new RangeError(`common.v1.json has no definition ${name}`);
  if (JSON.stringify(definition).includes('"$ref"')) throw new RangeError(`common definition ${name} refers to others; embed its parts`);
  return structuredClone(definition);
}

function enumOf<T extends string>(name: string): readonly T[] {
  const values = commonDefinition(name)['enum'];
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) throw new RangeError(`common definition ${name} is not a string enum`);
  return Object.freeze(values as T[]);
}

export const NEED_CODES = enumOf<NeedCode>('needCode');
export const URGENCIES = enumOf<Urgency>('urgency');
export const LEGAL_BASES = enumOf<LegalBasis>('legalBasis');
export const SUBMITTER_ROLES = enumOf<SubmitterRole>('submitterRole');
export const SECTORS = enumOf<Sector>('sector');
