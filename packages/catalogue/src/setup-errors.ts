import type { ValidationIssue } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';

/**
 * A declarative setup file (the service catalogue, routing rules) is wrong. Thrown at start
 * with every problem at once, each with the JSON pointer to fix; retrying cannot help, a
 * person must edit the file.
 */
export class SetupFileInvalid extends PolkuError {
  readonly issues: readonly ValidationIssue[];

  constructor(code: string, source: string, issues: readonly ValidationIssue[]) {
    const list = issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ');
    super(code, `${source} has ${issues.length} problem(s): ${list}`, { retryable: false });
    this.issues = issues;
  }
}
