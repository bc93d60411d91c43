import { describe, expect, it } from 'vitest';
import { AT, CHILD_WELFARE, FAMILY_CENTRE, NGO, PARISH, consent, request } from '../test/records';
import { decideDisclosure } from './decide-disclosure';

describe('decideDisclosure: what a permission covers', () => {
  it('covers a recipient named by its service', () => {
    const c = consent();
    expect(decideDisclosure([c], request())).toEqual({ allowed: true, basis: { kind: 'consent', consentIds: [c.consentId] }, dataCategories: ['contact'] });
  });

  it('covers every service of a named organisation', () => {
    const c = consent({ recipients: [{ organisationId: 'keski-suomen-hyvinvointialue' }] });
    expect(decideDisclosure([c], request({ recipient: CHILD_WELFARE })).allowed).toBe(true);
  });

  it('covers every organisation of a named sector', () => {
    const c = consent({ recipients: [{ sector: 'ngo' }] });
    expect(decideDisclosure([c], request({ recipient: NGO })).allowed).toBe(true);
    expect(decideDisclosure([c], request({ recipient: PARISH })).allowed).toBe(false);
  });

  it('does not cover another service of the organisation when a service is named', () => {
    expect(decideDisclosure([consent()], request({ recipient: CHILD_WELFARE }))).toMatchObject({ allowed: false, reason: 'not-covered' });
  });

  it('allows only the requested categories the permission lists', () => {
    const decision = decideDisclosure([consent()], request({ dataCategories: ['contact', 'health', 'need-description'] }));
    expect(decision).toMatchObject({ allowed: true, dataCategories: ['contact', 'need-description'] });
  });

  it('takes the union over every covering permission and names the ones used', () => {
    const a = consent({ dataCategories: ['contact'] });
    const b = consent({ dataCategories: ['health'], recipients: [{ sector: 'social-services' }] });
    const unrelated = consent({ dataCategories: ['education'] });
    const decision = decideDisclosure([a, b, unrelated], request({ dataCategories: ['contact', 'health'] }));
    expect(decision).toEqual({ allowed: true, basis: { kind: 'consent', consentIds: [a.consentId, b.consentId] }, dataCategories: ['contact', 'health'] });
  });

  it('refuses categories no permission lists', () => {
    expect(decideDisclosure([consent()], request({ dataCategories: ['health'] }))).toMatchObject({ allowed: false, reason: 'not-covered' });
  });

  it('refuses a purpose the permission does not list', () => {
    expect(decideDisclosure([consent()], request({ purpose: 'follow-up' }))).toMatchObject({ allowed: false, reason: 'not-covered' });
  });

  it('refuses with no-consent when the subject has no active permission at all', () => {
    expect(decideDisclosure([], request())).toMatchObject({ allowed: false, reason: 'no-consent' });
  });

  it("ignores other subjects' records", () => {
    expect(decideDisclosure([consent({ subjectRef: `sr_${'b'.repeat(43)}` })], request())).toMatchObject({ allowed: false, reason: 'no-consent' });
  });
});

describe('decideDisclosure: validity', () => {
  it('refuses a withdrawn permission as withdrawn', () => {
    expect(decideDisclosure([consent({ status: 'withdrawn' })], request())).toMatchObject({ allowed: false, reason: 'withdrawn' });
  });

  it('refuses an expired permission as expired', () => {
    expect(decideDisclosure([consent({ status: 'expired' })], request())).toMatchObject({ allowed: false, reason: 'expired' });
  });

  it('refuses at validUntil even before the expiry is recorded', () => {
    const c = consent({ validUntil: AT.toISOString() });
    expect(decideDisclosure([c], request())).toMatchObject({ allowed: false, reason: 'expired' });
    expect(decideDisclosure([c], request({ at: new Date(AT.getTime() - 1) })).allowed).toBe(true);
  });

  it('does not count a permission before its validFrom', () => {
    expect(decideDisclosure([consent({ validFrom: '2025-07-01T00:00:00Z' })], request())).toMatchObject({ allowed: false, reason: 'no-consent' });
  });

  it('allows with an open-ended permission', () => {
    const { validUntil: _none, ...open } = consent();
    expect(decideDisclosure([open], request({ at: new Date('2040-01-01T00:00:00Z') })).allowed).toBe(true);
  });

  it('names the most recent lapse when a newer permission was withdrawn after an older one expired', () => {
    const older = consent({ status: 'expired', changedAt: '2025-02-01T00:00:00Z' });
    const newer = consent({ status: 'withdrawn', changedAt: '2025-05-01T00:00:00Z' });
    expect(decideDisclosure([older, newer], request())).toMatchObject({ allowed: false, reason: 'withdrawn', detail: expect.stringContaining(newer.consentId) });
  });
});

describe('decideDisclosure: bans', () => {
  it('a ban removes what it covers from a permission', () => {
    const permission = consent({ dataCategories: ['contact', 'health'] });
    const ban = consent({ kind: 'ban', dataCategories: ['health'], recipients: [{ sector: 'social-services' }] });
    expect(decideDisclosure([permission, ban], request({ dataCategories: ['contact', 'health'] }))).toMatchObject({ allowed: true, dataCategories: ['contact'] });
  });

  it('a ban beats a permission for the same categories', () => {
    const ban = consent({ kind: 'ban', grantor: { role: 'self' } });
    expect(decideDisclosure([consent(), ban], request())).toMatchObject({ allowed: false, reason: 'banned' });
  });

  it('a ban for another purpose does not apply', () => {
    const ban = consent({ kind: 'ban', purposes: ['follow-up'] });
    expect(decideDisclosure([consent(), ban], request()).allowed).toBe(true);
  });

  it('a withdrawn ban no longer applies', () => {
    const ban = consent({ kind: 'ban', status: 'withdrawn' });
    expect(decideDisclosure([consent(), ban], request()).allowed).toBe(true);
  });
});

describe('decideDisclosure: a minor who decides personally', () => {
  const minorPermits = (overrides = {}) => consent({ grantor: { role: 'self' }, minorDecidesPersonally: true, ...overrides });

  it("minor's ban beats guardian's permission", () => {
    const guardian = consent({ grantor: { role: 'guardian' } });
    const ban = minorPermits({ kind: 'ban', recipients: [{ sector: 'social-services' }] });
    expect(decideDisclosure([guardian, ban], request())).toMatchObject({ allowed: false, reason: 'banned' });
  });

  it("guardian's ban does not beat a minor who decides personally and permitted", () => {
    const minor = minorPermits();
    const guardianBan = consent({ kind: 'ban', grantor: { role: 'guardian' } });
    expect(decideDisclosure([minor, guardianBan], request())).toEqual({ allowed: true, basis: { kind: 'consent', consentIds: [minor.consentId] }, dataCategories: ['contact'] });
  });

  it("a guardian's permission covers nothing the minor has not permitted", () => {
    const minor = minorPermits({ recipients: [{ sector: 'ngo' }] });
    const guardian = consent({ grantor: { role: 'guardian' } });
    const decision = decideDisclosure([minor, guardian], request());
    expect(decision).toMatchObject({ allowed: false, reason: 'not-covered', detail: expect.stringContaining('minor decides personally') });
  });

  it("a guardian's permission counts again once the minor's own record is withdrawn", () => {
    const minor = minorPermits({ kind: 'ban', status: 'withdrawn' });
    expect(decideDisclosure([minor, consent()], request()).allowed).toBe(true);
  });

  it('a guardian cannot set minorDecidesPersonally on their own record to shut out others', () => {
    const guardianClaims = consent({ grantor: { role: 'guardian' }, minorDecidesPersonally: true, kind: 'ban', purposes: ['follow-up'] });
    expect(decideDisclosure([guardianClaims, consent()], request()).allowed).toBe(true);
  });
});

describe('decideDisclosure: statutes', () => {
  it('allows a child-welfare notification (lsl-25) to child welfare without consent', () => {
    expect(decideDisclosure([], request({ recipient: CHILD_WELFARE, legalBasis: 'lsl-25', dataCategories: ['identity', 'need-description'] }))).toEqual({
      allowed: true,
      basis: { kind: 'statute', statute: 'LSL 25 §' },
      dataCategories: ['identity', 'need-description'],
    });
  });

  it('allows a joint contact (lsl-25a, shl-35) to social services without consent', () => {
    expect(decideDisclosure([], request({ legalBasis: 'lsl-25a' }))).toMatchObject({ allowed: true, basis: { statute: 'LSL 25 a §' } });
    expect(decideDisclosure([], request({ legalBasis: 'shl-35' }))).toMatchObject({ allowed: true, basis: { statute: 'SHL 35 §' } });
  });

  it('a statute applies despite a ban: the law obliges the disclosure', () => {
    const ban = consent({ kind: 'ban', grantor: { role: 'self' }, minorDecidesPersonally: true, recipients: [{ sector: 'social-services' }] });
    expect(decideDisclosure([ban], request({ recipient: CHILD_WELFARE, legalBasis: 'lsl-25' })).allowed).toBe(true);
  });

  it('an NGO needs consent even with lsl-25', () => {
    expect(decideDisclosure([], request({ recipient: NGO, legalBasis: 'lsl-25' }))).toMatchObject({ allowed: false, reason: 'no-consent' });
    const c = consent({ recipients: [{ sector: 'ngo' }] });
    expect(decideDisclosure([c], request({ recipient: NGO, legalBasis: 'lsl-25' }))).toMatchObject({ allowed: true, basis: { kind: 'consent' } });
  });

  it('a parish needs consent even with lsl-25a', () => {
    expect(decideDisclosure([], request({ recipient: PARISH, legalBasis: 'lsl-25a' }))).toMatchObject({ allowed: false, reason: 'no-consent' });
  });

  it('a statute does not reach education or health', () => {
    const school = { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education', sector: 'education' } as const;
    expect(decideDisclosure([], request({ recipient: school, legalBasis: 'lsl-25' })).allowed).toBe(false);
  });

  it('a statute applies only to a service that accepts it, when the catalogue says which', () => {
    const studentWelfare = { ...FAMILY_CENTRE, serviceId: 'ksh-student-welfare-jyvaskyla', acceptsStatutory: [] };
    expect(decideDisclosure([], request({ recipient: studentWelfare, legalBasis: 'lsl-25' })).allowed).toBe(false);
    expect(decideDisclosure([], request({ recipient: { ...CHILD_WELFARE, acceptsStatutory: ['lsl-25'] }, legalBasis: 'lsl-25' })).allowed).toBe(true);
  });

  it('legalBasis consent goes the consent way', () => {
    expect(decideDisclosure([], request({ recipient: CHILD_WELFARE, legalBasis: 'consent' }))).toMatchObject({ allowed: false, reason: 'no-consent' });
  });
});

describe('decideDisclosure: who discloses, and how long a guardian speaks', () => {
  it("counts a permission only for a discloser its disclosers cover", () => {
    const c = consent({ disclosers: [{ organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' }] });
    expect(decideDisclosure([c], request({ discloser: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' } })).allowed).toBe(true);
    expect(decideDisclosure([c], request({ discloser: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-upper-secondary' } }))).toMatchObject({ allowed: false, reason: 'not-covered' });
    expect(decideDisclosure([c], request({ discloser: { organisationId: 'mll-keski-suomi' } }))).toMatchObject({ allowed: false, reason: 'not-covered' });
    expect(decideDisclosure([consent()], request({ discloser: { organisationId: 'jyvaskyla-education', serviceId: 'anything-of-it' } })).allowed).toBe(true);
  });

  it('applies a ban whoever discloses', () => {
    const ban = consent({ kind: 'ban', disclosers: [{ organisationId: 'mll-keski-suomi' }], validUntil: undefined });
    expect(decideDisclosure([consent(), ban], request({ discloser: { organisationId: 'jyvaskyla-education' } }))).toMatchObject({ allowed: false, reason: 'banned' });
  });

  it("no longer counts a guardian's permission recorded as v1 (no birthday cap): it reads as expired", () => {
    const legacy = consent({ recordedBy: { organisationId: 'jyvaskyla-education', professionalRef: 'u-1' } });
    expect(decideDisclosure([legacy], request())).toMatchObject({ allowed: false, reason: 'expired' });
    const ownV1 = consent({ grantor: { role: 'legal-representative' }, recordedBy: { organisationId: 'jyvaskyla-education', professionalRef: 'u-1' } });
    expect(decideDisclosure([ownV1], request()).allowed).toBe(true);
  });

  it("ends a guardian's permission at the validUntil the ledger capped at the 18th birthday", () => {
    const c = consent({ validUntil: '2025-06-01T00:00:00Z' });
    expect(decideDisclosure([c], request({ at: new Date('2025-05-31T23:59:59Z') })).allowed).toBe(true);
    expect(decideDisclosure([c], request({ at: new Date('2025-06-01T00:00:00Z') }))).toMatchObject({ allowed: false, reason: 'expired' });
  });
});
