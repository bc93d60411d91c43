import { resolve } from 'node:path';
import type { RoutingRules } from './rules';
import { crossCheckRules } from './rules-checks';
import { deepFreeze, readJsonFile, schemaCheck, SetupFileInvalid, type SchemaCheck } from '@polku/catalogue';

/** The rules shipped with the router. */
export const KESKI_SUOMI_RULES = resolve(import.meta.dirname, '../../rules/keski-suomi.rules.json');

let check: SchemaCheck | undefined;

/**
 * Validates parsed rules and returns them frozen.
 * @throws SetupFileInvalid (ROUTER_RULES_INVALID) listing every problem with its JSON pointer.
 */
export function parseRules(data: unknown, source = 'rules'): RoutingRules {
  check ??= schemaCheck(resolve(import.meta.dirname, '../../rules/rules.schema.json'));
  let issues = check(data);
  if (issues.length === 0) issues = crossCheckRules(data as RoutingRules);
  if (issues.length > 0) throw new SetupFileInvalid('ROUTER_RULES_INVALID', source, issues);
  return deepFreeze(data as RoutingRules);
}

/** Reads and validates a rules file at start. */
export async function loadRules(file: string = KESKI_SUOMI_RULES): Promise<RoutingRules> {
  const { data, issues } = await readJsonFile(file);
  if (issues.length > 0) throw new SetupFileInvalid('ROUTER_RULES_INVALID', file, issues);
  return parseRules(data, file);
}
