import type { Caller } from '@polku/service-kit';
import { requireRole } from '@polku/service-kit';
import type { TraceView } from '../../domain/build-trace';

/** Operators and auditors only; an auditor's answer carries the full disclosure entries. */
export function traceViewOf(caller: Caller): TraceView {
  requireRole(caller, 'operator', 'auditor');
  return caller.roles.includes('auditor') ? 'auditor' : 'operator';
}
