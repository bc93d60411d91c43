import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ValidationIssue } from '@polku/contracts';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';

const COMMON_SCHEMA = resolve(import.meta.dirname, '../../../schemas/common/common.v1.json');
const CATALOGUE_SCHEMA = resolve(import.meta.dirname, '../data/catalogue.schema.json');

/** A check of parsed JSON against a setup file's schema: every problem, or none. */
export type SchemaCheck = (data: unknown) => ValidationIssue[];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

let ajv: Ajv2020 | undefined;

/**
 * One Ajv holding the shared codes (schemas/common) and every setup-file schema added to it,
 * so catalogues and rules use the very enums events use. Strict so a schema typo fails
 * loudly; allErrors so an editor sees every mistake at once. The common file's uuid and
 * date-time formats are not used by setup files, so they are accepted as they are.
 */
function setupAjv(): Ajv2020 {
  // The catalogue schema is always there: other setup files (routing rules) refer to its kinds.
  ajv ??= new Ajv2020({ strict: true, allErrors: true, formats: { uuid: true, 'date-time': true } }).addSchema([readJson(COMMON_SCHEMA), readJson(CATALOGUE_SCHEMA)]);
  return ajv;
}

/** Compiles the schema in `schemaFile` (once) and returns its check. */
export function schemaCheck(schemaFile: string): SchemaCheck {
  const schema = readJson(schemaFile);
  const id = schema['$id'] as string;
  const known = setupAjv().getSchema(id) ?? setupAjv().addSchema(schema).getSchema(id);
  if (!known) throw new Error(`setup schema not found: ${id}`);
  return (data) => (known(data) ? [] : (known.errors ?? []).map(toIssue));
}

/** Like @polku/contracts' issues: the property a `required` or `additionalProperties` error is about goes into the pointer. */
function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  const property = params['missingProperty'] ?? params['additionalProperty'];
  const path = typeof property === 'string' ? `${error.instancePath}/${property}` : error.instancePath;
  return { path, message: `${error.keyword}: ${error.message ?? 'is invalid'}` };
}
