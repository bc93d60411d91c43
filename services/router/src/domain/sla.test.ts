import { describe, expect, it } from 'vitest';
import type { SlaPolicy } from './rules';
import { followUpAt, slaDeadline, type SlaInput } from './sla';
import { formatHelsinki } from './helsinki-time';

const policy: SlaPolicy = {
  closeOfDay: '16:00',
  byUrgency: { urgent: 1, soon: 3, routine: 7 },
  byStatute: { 'lsl-25': { workingDays: 7, sla: 'assessment-decision' } },
};

function due(input: Omit<SlaInput, 'submittedAt'> & { submittedAt: string }, custom: SlaPolicy = policy): string {
  const deadline = slaDeadline({ ...input, submittedAt: new Date(input.submittedAt) }, custom);
  return `${deadline.sla} ${formatHelsinki(deadline.dueAt)}`;
}

describe('slaDeadline', () => {
  it('counts a routine referral across a weekend', () => {
    expect(due({ urgency: 'routine', legalBasis: 'consent', submittedAt: '2026-01-15T10:00:00+02:00' })).toBe(
      'first-contact 2026-01-26T16:00:00+02:00',
    );
    expect(due({ urgency: 'soon', legalBasis: 'consent', submittedAt: '2026-01-15T10:00:00+02:00' })).toBe(
      'first-contact 2026-01-20T16:00:00+02:00',
    );
  });

  it('skips Good Friday and Easter Monday, and ends in summer time', () => {
    expect(due({ urgency: 'soon', legalBasis: 'consent', submittedAt: '2026-04-02T09:00:00+03:00' })).toBe(
      'first-contact 2026-04-09T16:00:00+03:00',
    );
  });

  it('gives child welfare 7 working days across Christmas, New Year and Epiphany', () => {
    expect(due({ urgency: 'routine', legalBasis: 'lsl-25', submittedAt: '2025-12-22T09:00:00+02:00' })).toBe(
      'assessment-decision 2026-01-07T16:00:00+02:00',
    );
  });

  it('makes an urgent referral on a Friday afternoon due on Monday, or Tuesday after a holiday Monday', () => {
    expect(due({ urgency: 'urgent', legalBasis: 'consent', submittedAt: '2026-01-16T15:30:00+02:00' })).toBe(
      'first-contact 2026-01-19T16:00:00+02:00',
    );
    expect(due({ urgency: 'urgent', legalBasis: 'consent', submittedAt: '2025-01-03T15:30:00+02:00' })).toBe(
      'first-contact 2025-01-07T16:00:00+02:00',
    );
  });

  it('lets the urgency clock win over the statutory one when it is earlier', () => {
    expect(due({ urgency: 'urgent', legalBasis: 'lsl-25', submittedAt: '2026-01-15T10:00:00+02:00' })).toBe(
      'first-contact 2026-01-16T16:00:00+02:00',
    );
  });

  it('dates a submission by the Helsinki calendar, not UTC', () => {
    // 23:30 UTC on Thursday is already Friday 01:30 in Helsinki.
    expect(due({ urgency: 'urgent', legalBasis: 'consent', submittedAt: '2026-01-15T23:30:00Z' })).toBe(
      'first-contact 2026-01-19T16:00:00+02:00',
    );
  });

  it('takes the close of day from the policy', () => {
    const early = { ...policy, closeOfDay: '15:00' };
    expect(due({ urgency: 'urgent', legalBasis: 'consent', submittedAt: '2026-01-16T09:00:00+02:00' }, early)).toBe(
      'first-contact 2026-01-19T15:00:00+02:00',
    );
  });
});

describe('followUpAt', () => {
  it('is three months later at office opening', () => {
    expect(formatHelsinki(followUpAt(new Date('2026-01-15T14:00:00+02:00')))).toBe('2026-04-15T08:00:00+03:00');
  });

  it('clamps to the month end and moves off a weekend', () => {
    // 30 Nov + 3 months = 28 Feb 2026, a Saturday.
    expect(formatHelsinki(followUpAt(new Date('2025-11-30T12:00:00+02:00')))).toBe('2026-03-02T08:00:00+02:00');
    expect(formatHelsinki(followUpAt(new Date('2026-01-15T14:00:00+02:00'), 1))).toBe('2026-02-16T08:00:00+02:00');
  });
});
