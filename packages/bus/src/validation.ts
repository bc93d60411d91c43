import { validateEvent, type CloudEvent, type ValidationIssue, type ValidationResult } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';

/** Checks a candidate event. Injectable so a test or another contract set can supply its own. */
export type EventValidator = (candidate: unknown) => ValidationResult;

/** The generated validators of `@polku/contracts`. */
export const defaultValidator: EventValidator = validateEvent;

/** An event that does not match its contract. The message names paths and rules, never values. */
export class EventInvalidError extends PolkuError {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super('EVENT_INVALID', `event does not match its contract: ${describeIssues(issues)}`, { status: 422, retryable: false });
    this.issues = issues;
  }
}

/** A record whose value is not JSON at all. */
export class EventUnparseableError extends PolkuError {
  constructor(cause: unknown) {
    super('EVENT_UNPARSEABLE', 'record value is not a JSON document', { retryable: false, cause });
  }
}

function describeIssues(issues: readonly ValidationIssue[]): string {
  const shown = issues.slice(0, 10).map((issue) => `${issue.path || '/'} (${issue.message})`);
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return shown.join('; ') + more;
}

/** Parses and validates a record value; throws EventUnparseableError or EventInvalidError. */
export function decodeEvent(value: Buffer | null, validate: EventValidator): CloudEvent {
  let candidate: unknown;
  try {
    candidate = JSON.parse(value?.toString('utf8') ?? '');
  } catch (error) {
    throw new EventUnparseableError(error);
  }
  const result = validate(candidate);
  if (!result.ok) throw new EventInvalidError(result.errors);
  return result.event;
}
