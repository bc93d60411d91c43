import { PolkuError } from '@polku/service-kit';
import type { ValidationIssue } from './validation-issue';

/** An event that does not match its contract. Not retryable: the same bytes fail the same way. */
export class ContractViolation extends PolkuError {
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], options: { cause?: unknown } = {}) {
    const first = issues[0];
    const summary = first ? `${first.path || '/'} ${first.message}` : 'invalid event';
    const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
    super('EVENT_INVALID', `event does not match its contract: ${summary}${more}`, { status: 422, retryable: false, ...options });
    this.issues = issues;
  }
}
