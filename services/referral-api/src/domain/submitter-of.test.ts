import { describe, expect, it } from 'vitest';
import { parseIdentityCode, syntheticIdentityCode } from '@polku/personal-data';
import type { Caller } from '@polku/service-kit';
import { submitterOf } from './submitter-of';

const NOW = new Date('2026-12-01T12:00:00Z');
const parent = syntheticIdentityCode({ year: 1985, month: 3, day: 1 }, 904);
const child = syntheticIdentityCode({ year: 2016, month: 5, day: 14 }, 901);
const turned18Today = syntheticIdentityCode({ year: 2008, month: 12, day: 1 }, 905);
const turns18Tomorrow = syntheticIdentityCode({ year: 2008, month: 12, day: 2 }, 906);
const id = (code: string) => parseIdentityCode(code)!;

const school: Caller = { keyId: 'k1', organisationId: 'jyvaskyla-education', systemId: 'wilma', roles: ['submitter', 'recipient'], services: [] };
const eService = (guardianOf: string[] = []): Caller => ({
  keyId: 'k2', organisationId: 'keski-suomen-hyvinvointialue', systemId: 'resident-e-service', roles: ['resident'], services: [],
  person: { identityCode: parent, assurance: 'high', guardianship: { childIdentityCodes: guardianOf, source: 'vtj' } },
});
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('submitterOf', () => {
  it('keeps a professional role for a submitter key and refuses it to the resident e-service', () => {
    expect(submitterOf(school, 'teacher', id(child), NOW)).toEqual({ role: 'teacher', identity: id(child) });
    expect(code(() => submitterOf(eService(), 'teacher', id(child), NOW))).toBe('SUBMITTER_ROLE_NOT_YOURS');
  });

  it('refuses resident and guardian to any key but the resident e-service\'s, and to it without an assertion', () => {
    expect(code(() => submitterOf(school, 'resident', id(child), NOW))).toBe('SUBMITTER_ROLE_NOT_YOURS');
    expect(code(() => submitterOf(school, 'guardian', id(child), NOW))).toBe('SUBMITTER_ROLE_NOT_YOURS');
    const { person: _none, ...unasserted } = eService();
    expect(code(() => submitterOf(unasserted, 'resident', undefined, NOW))).toBe('PERSON_ASSERTION_REQUIRED');
  });

  it('makes the identified person the subject of a self-referral, with or without the code in the body', () => {
    expect(submitterOf(eService(), 'resident', undefined, NOW)).toEqual({ role: 'resident', identity: id(parent) });
    expect(submitterOf(eService(), 'guardian', id(parent.toLowerCase()), NOW)).toEqual({ role: 'resident', identity: id(parent) });
  });

  it('takes a guardian\'s referral about their child under 18 as the guardian\'s, never as a self-referral', () => {
    expect(submitterOf(eService([child]), 'resident', id(child), NOW)).toEqual({ role: 'guardian', identity: id(child) });
    expect(submitterOf(eService([turns18Tomorrow]), 'guardian', id(turns18Tomorrow), NOW).role).toBe('guardian');
    expect(code(() => submitterOf(eService([turned18Today]), 'guardian', id(turned18Today), NOW))).toBe('CHILD_OF_AGE');
    expect(code(() => submitterOf(eService([child]), 'guardian', id(turns18Tomorrow), NOW))).toBe('NOT_THE_PERSON_OR_THEIR_CHILD');
  });
});
