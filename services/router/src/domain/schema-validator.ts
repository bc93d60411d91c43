import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ValidationIssue } from '@polku/contracts';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';

const SCHEMAS_DIR = resolve(import.meta.dirname, '../../../../schemas');
const CATALOGUE_DIR = resolve(import.meta.dirname, '../../catalogue');

/** A check of parsed JSON against one of the router's schemas: every problem, or none. */
export type SchemaCheck = (data: unknown) => ValidationIssue[];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

let ajv: Ajv2020 | undefined;

/**
 * One Ajv holding the shared codes (schemas/common) and the router's own schemas, so the catalogue
 * and rules use the very enums events use. Strict so a schema typo fails loudly; allErrors so an
 * editor sees every mistake at once. The common file's uuid/date-time formats are not used here.
 */
function routerAjv(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: true, allErrors: true, formats: { uuid: true, 'date-time': true } });
  ajv.addSchema(readJson(resolve(SCHEMAS_DIR, 'common/common.v1.json')));
  ajv.addSchema(readJson(resolve(CATALOGUE_DIR, 'catalogue.schema.json')));
  ajv.addSchema(readJson(resolve(CATALOGUE_DIR, 'rules.schema.json')));
  return ajv;
}

export function schemaCheck(schemaId: string): SchemaCheck {
  const validate = routerAjv().getSchema(schemaId);
  if (!validate) throw new Error(`router schema not found: ${schemaId}`);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map(toIssue));
}

/** Like @polku/contracts' issues: the property a `required` or `additionalProperties` error is about goes into the pointer. */
function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  const property = params['missingProperty'] ?? params['additionalProperty'];
  const path = typeof property === 'string' ? `${error.instancePath}/${property}` : error.instancePath;
  return { path, message: `${error.keyword}: ${error.message ?? 'is invalid'}` };
}
