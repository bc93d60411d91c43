import type { ErrorObject } from 'ajv';

/** One problem in an event. `message` never carries the offending value: it may be personal data. */
export interface ValidationIssue {
  /** JSON pointer into the event, e.g. `/data/needCodes/0`. */
  path: string;
  message: string;
}

/**
 * Turns an Ajv error into an issue. Ajv's own messages name the rule ("must be equal to one of the
 * allowed values"), not the value, which is why they are safe to keep. For required and
 * additionalProperties the property NAME goes into the path, so the pointer shows where to look.
 */
export function toIssue(error: ErrorObject, prefix = ''): ValidationIssue {
  let path = prefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    path += `/${escapePointer(params['missingProperty'])}`;
  } else if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
    path += `/${escapePointer(params['additionalProperty'])}`;
  }
  return { path, message: `${error.keyword}: ${error.message ?? 'is invalid'}` };
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
