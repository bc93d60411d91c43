import { describe, expect, it } from 'vitest';
import { syntheticIdentityCode } from '@polku/personal-data';
import { checkReferral } from './check-referral';
import type { ReferralRequest } from './referral-request';
import { ageBandAt } from './submitted-data';

const code = syntheticIdentityCode({ year: 2014, month: 4, day: 30 }, 951);
const request = (over: Partial<ReferralRequest> = {}, child: Partial<ReferralRequest['child']> = {}): ReferralRequest => ({
  submitter: { role: 'school-nurse' },
  child: { identityCode: code, firstName: 'A', lastName: 'B', ...child },
  guardians: [], contact: {}, description: 'x', needCodes: ['bullying'], urgency: 'routine', municipalityCode: '179', language: 'fi', legalBasis: 'consent',
  ...over,
});
const checks = { municipalities: new Set(['179', '410']), now: new Date('2026-06-01T12:00:00Z') };

describe('referral checks', () => {
  it('accepts a valid referral and gives back the parsed identity code', () => {
    const result = checkReferral(request(), checks);
    expect(result).toMatchObject({ ok: true, identity: { normalised: code } });
  });

  it('reports every problem at once, without the identity code in any message', () => {
    const wrong = `${code.slice(0, 10)}${code.endsWith('X') ? 'Y' : 'X'}`;
    const result = checkReferral(request({ municipalityCode: '999' }, { identityCode: wrong, birthDate: '2027-01-01' }), checks);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.field)).toEqual(['/municipalityCode', '/child/identityCode', '/child/birthDate']);
    expect(JSON.stringify(problems)).not.toContain(wrong);
  });

  it('needs an identity code from professionals but not from a resident', () => {
    expect(checkReferral(request({}, { identityCode: undefined }), checks)).toMatchObject({ ok: false, problems: [{ field: '/child/identityCode' }] });
    expect(checkReferral(request({ submitter: { role: 'resident' } }, { identityCode: undefined }), checks)).toEqual({ ok: true, identity: undefined });
  });
});

describe('age band at submission', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('comes from the identity code first, then the birth date, else unknown', () => {
    const identity = checkReferral(request(), checks);
    expect(ageBandAt(identity.ok ? identity.identity : undefined, '2000-01-01', now)).toBe('7-12');
    expect(ageBandAt(undefined, '2010-06-02', now)).toBe('13-15');
    expect(ageBandAt(undefined, '2010-06-01', now)).toBe('16-17');
    expect(ageBandAt(undefined, undefined, now)).toBe('unknown');
  });
});
