import type { ValidationIssue } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';

/**
 * The catalogue or the rules file is wrong. Thrown at start with every problem at once, each with
 * the JSON pointer to fix; retrying cannot help, a person must edit the file.
 */
export class RoutingSetupInvalid extends PolkuError {
  readonly issues: readonly ValidationIssue[];

  constructor(code: 'ROUTER_CATALOGUE_INVALID' | 'ROUTER_RULES_INVALID', source: string, issues: readonly ValidationIssue[]) {
    const list = issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ');
    super(code, `${source} has ${issues.length} problem(s): ${list}`, { retryable: false });
    this.issues = issues;
  }
}
