import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routed, submitted } from '../testing/referral-events';
import { applyEvent } from './apply-event';
import { referralSubjectRef, releasedDetails, statuteCodeOf, statuteLabelOf, systemKeyOf, type VaultRecord } from './claim-check';
import type { StatusRecord } from './status-record';


function record(...events: ReturnType<typeof submitted>[]): StatusRecord {
  return events.reduce<StatusRecord | undefined>((r, e) => applyEvent(r, e), undefined)!;
}

describe('the submitted facts the claim check needs', () => {
  it('are kept in the status record', () => {
    const r = record(submitted(randomUUID()));
    expect(r).toMatchObject({ legalBasis: 'consent', submitterRole: 'teacher', needCodes: ['loneliness-leisure'], urgency: 'routine' });
  });
});

describe('releasedDetails', () => {
  const vault: VaultRecord = {
    child: { identityCode: '170915A951S', firstName: 'A', lastName: 'B' },
    guardians: [{ firstName: 'K', lastName: 'B' }],
    contact: { phone: '+358 40 900 1234' },
    description: 'D',
    submitter: { role: 'teacher' },
  };
  const r = { needCodes: ['mental-health'], urgency: 'soon' } as StatusRecord;
  it('answers only the released categories, never the submitter', () => {
    expect(releasedDetails(vault, ['identity', 'guardians', 'need-description'], r)).toEqual({
      details: { child: vault.child, guardians: vault.guardians, description: 'D', needCodes: ['mental-health'], urgency: 'soon' },
      fields: ['child', 'description', 'guardians', 'needCodes', 'urgency'],
    });
  });

  it('releases need codes and urgency only with need-description (finding 4)', () => {
    expect(releasedDetails(vault, ['contact'], r)).toEqual({ details: { contact: vault.contact }, fields: ['contact'] });
  });
});

describe('log helpers', () => {
  it('maps statutes between label and code', () => {
    expect(statuteCodeOf('LSL 25 §')).toBe('lsl-25');
    expect(statuteCodeOf('LSL 25 a §')).toBe('lsl-25a');
    expect(statuteCodeOf('shl-35')).toBe('shl-35');
    expect(statuteCodeOf('GDPR')).toBeUndefined();
    expect(statuteLabelOf('lsl-25')).toBe('LSL 25 §');
  });
  it('folds system ids into catalogue keys', () => {
    expect(systemKeyOf('education.school')).toBe('education-school');
    expect(systemKeyOf('Wilma')).toBe('wilma');
  });
  it('derives a subject-ref-shaped pseudonym from a referral id', () => {
    expect(referralSubjectRef(randomUUID(), randomBytes(32))).toMatch(/^sr_[A-Za-z0-9_-]{43}$/);
  });
});
