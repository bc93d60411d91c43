import type { ValidationIssue } from '@polku/contracts';
import type { RoutingRule, RoutingRules } from './rules';

function duplicateIds(rules: readonly RoutingRule[]): ValidationIssue[] {
  const seen = new Set<string>();
  return rules.flatMap((rule, index) => {
    if (seen.has(rule.id)) return [{ path: `/rules/${index}/id`, message: `duplicate rule id '${rule.id}'` }];
    seen.add(rule.id);
    return [];
  });
}

/** A statutory route must only ever see statutory referrals, or a consent referral would skip consent. */
function statutoryNeedsStatute(rule: RoutingRule, index: number): ValidationIssue[] {
  if (rule.then.statutory !== true) return [];
  const bases = rule.when.legalBasis;
  if (bases && !bases.includes('consent')) return [];
  return [{ path: `/rules/${index}/when/legalBasis`, message: 'a statutory rule must match statutory legal bases only' }];
}

/**
 * LSL 25 § notifications go to child welfare and nowhere else. The rule that first can see one must
 * test nothing but the legal basis (so every notification stops there) and route to child welfare alone.
 */
function notificationGuard(rules: readonly RoutingRule[]): ValidationIssue[] {
  const index = rules.findIndex((rule) => !rule.when.legalBasis || rule.when.legalBasis.includes('lsl-25'));
  const rule = rules[index];
  if (!rule) return [{ path: '/rules', message: "no rule routes legalBasis 'lsl-25' to child welfare" }];
  const onlyBasis = Object.keys(rule.when).length === 1 && rule.when.legalBasis !== undefined;
  const { lead, coWorkers, statutory } = rule.then;
  if (onlyBasis && lead === 'child-welfare' && coWorkers.length === 0 && statutory === true) return [];
  return [
    {
      path: `/rules/${index}`,
      message: "the first rule that can match 'lsl-25' must test only legalBasis and route statutorily to child-welfare with no co-workers",
    },
  ];
}

/** What the schema cannot say about the rules. */
export function crossCheckRules(rules: RoutingRules): ValidationIssue[] {
  return [...duplicateIds(rules.rules), ...rules.rules.flatMap(statutoryNeedsStatute), ...notificationGuard(rules.rules)];
}
