import type { ReferralSubmittedV1 } from '@polku/contracts';
import type { RoutingRule, RuleCondition } from './rules';

const anyOf = <T>(allowed: readonly T[] | undefined, actual: readonly T[]): boolean =>
  allowed === undefined || actual.some((value) => allowed.includes(value));

/** Every condition given holds; within one, any listed value will do. */
export function ruleMatches(when: RuleCondition, referral: ReferralSubmittedV1): boolean {
  return (
    anyOf(when.legalBasis, [referral.legalBasis]) &&
    anyOf(when.needCodes, referral.needCodes) &&
    anyOf(when.urgency, [referral.urgency]) &&
    anyOf(when.ageBand, [referral.ageBand]) &&
    anyOf(when.submitterRole, [referral.submitter.role])
  );
}

/** The first matching rule decides: order in the file is priority. */
export function findRule(referral: ReferralSubmittedV1, rules: readonly RoutingRule[]): RoutingRule | undefined {
  return rules.find((rule) => ruleMatches(rule.when, referral));
}
