import { addMonths } from './calendar-date';
import type { LegalBasis, Urgency } from '@polku/contracts';
import { helsinkiDate, helsinkiInstant } from './helsinki-time';
import type { SlaPolicy } from './rules';
import { addWorkingDays, workingDayOnOrAfter } from './working-days';

/** Which clock a deadline is: the names of `sla` in referral.sla-breached.v1. */
export type SlaKind = 'first-contact' | 'assessment-decision';

export interface SlaDeadline {
  sla: SlaKind;
  /** The end (policy `closeOfDay`, Helsinki time) of the deadline's working day. */
  dueAt: Date;
  workingDays: number;
}

export interface SlaInput {
  urgency: Urgency;
  legalBasis: LegalBasis;
  submittedAt: Date;
}

/**
 * The deadline of a referral: the end of the N-th working day after the Helsinki date it came in.
 * The day of submission never counts, so "urgent = 1" reads "the same or next working day" with
 * the whole next day allowed. A statutory clock (LSL 26 §: child welfare decides within 7 working
 * days) runs beside the urgency clock and the earlier one wins: an urgent notification is urgent.
 */
export function slaDeadline(input: SlaInput, policy: SlaPolicy): SlaDeadline {
  const submittedOn = helsinkiDate(input.submittedAt);
  const due = (workingDays: number, sla: SlaKind): SlaDeadline => ({
    sla,
    workingDays,
    dueAt: helsinkiInstant(addWorkingDays(submittedOn, workingDays), policy.closeOfDay),
  });
  const byUrgency = due(policy.byUrgency[input.urgency], 'first-contact');
  const statute = input.legalBasis === 'consent' ? undefined : policy.byStatute[input.legalBasis];
  if (!statute) return byUrgency;
  const byStatute = due(statute.workingDays, statute.sla);
  // A tie goes to the statutory clock: it names the step the law asks for.
  return byStatute.dueAt.getTime() <= byUrgency.dueAt.getTime() ? byStatute : byUrgency;
}

/** When the follow-up check after closing is due ("long enough"): at office opening of the first
 *  working day on or after the same date `months` later in Helsinki. @defaultValue months 3, opensAt "08:00" */
export function followUpAt(closedAt: Date, months = 3, opensAt = '08:00'): Date {
  const target = addMonths(helsinkiDate(closedAt), months);
  return helsinkiInstant(workingDayOnOrAfter(target), opensAt);
}
