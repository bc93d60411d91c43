import { resolve } from 'node:path';
import { deepFreeze } from './deep-freeze';
import { readJsonFile } from './read-json-file';
import type { RoutingRules } from './rules';
import { crossCheckRules } from './rules-checks';
import { schemaCheck, type SchemaCheck } from './schema-validator';
import { RoutingSetupInvalid } from './setup-errors';

/** The rules shipped with the router. */
export const KESKI_SUOMI_RULES = resolve(import.meta.dirname, '../../catalogue/keski-suomi.rules.json');

let check: SchemaCheck | undefined;

/**
 * Validates parsed rules and returns them frozen.
 * @throws RoutingSetupInvalid (ROUTER_RULES_INVALID) listing every problem with its JSON pointer.
 */
export function parseRules(data: unknown, source = 'rules'): RoutingRules {
  check ??= schemaCheck('https://schemas.polku.fi/router/rules.schema.json');
  let issues = check(data);
  if (issues.length === 0) issues = crossCheckRules(data as RoutingRules);
  if (issues.length > 0) throw new RoutingSetupInvalid('ROUTER_RULES_INVALID', source, issues);
  return deepFreeze(data as RoutingRules);
}

/** Reads and validates a rules file at start. */
export async function loadRules(file: string = KESKI_SUOMI_RULES): Promise<RoutingRules> {
  const { data, issues } = await readJsonFile(file);
  if (issues.length > 0) throw new RoutingSetupInvalid('ROUTER_RULES_INVALID', file, issues);
  return parseRules(data, file);
}
