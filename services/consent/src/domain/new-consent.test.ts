import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type Catalogue } from '@polku/catalogue';
import { syntheticIdentityCode } from '@polku/personal-data';
import { RequestInvalid } from '@polku/service-kit';
import { consentReceipt } from './receipt';
import { personRefOf } from './person-ref';
import { eighteenthBirthday, newConsent, type ConsentRequest } from './new-consent';

const NOW = new Date('2025-06-01T10:00:00Z');
const CHILD = syntheticIdentityCode({ year: 2012, month: 3, day: 4 }, 901);
const ADULT = syntheticIdentityCode({ year: 1990, month: 3, day: 4 }, 902);
let catalogue: Catalogue;
const KEY = randomBytes(32);
beforeAll(async () => void (catalogue = await loadCatalogue()));

const body = (overrides: Partial<ConsentRequest> = {}): ConsentRequest => ({
  subject: { identityCode: CHILD },
  grantor: { role: 'guardian' },
  disclosers: [{ organisationId: 'jyvaskyla-education' }],
  recipients: [{ sector: 'ngo' }],
  dataCategories: ['contact', 'health'],
  purposes: ['guidance', 'follow-up'],
  legalFramework: '703/2023',
  validUntil: '2026-01-01T00:00:00Z',
  form: 'oral',
  recordedBy: { professionalRef: 'u-1' },
  ...overrides,
});
const make = (b: ConsentRequest, kind: 'permission' | 'ban' = 'permission', organisationId = 'jyvaskyla-education') =>
  newConsent(b, { kind, consentId: '3a7c9e21-5b4d-4f8e-a6c2-1d9b0e7f3a42', organisationId, systemId: 'wilma', pseudonymKey: KEY, catalogue, now: NOW });
const fieldsOf = (b: ConsentRequest, kind: 'permission' | 'ban' = 'permission'): string[] => {
  try {
    make(b, kind);
    return [];
  } catch (error) {
    if (!(error instanceof RequestInvalid)) throw error;
    return error.errors.map((e) => e.field);
  }
};

describe('newConsent', () => {
  it('keeps only the subject reference, the grantor role and reference, and the recording system', () => {
    const record = make(body({ grantor: { role: 'guardian', identityCode: ADULT } }));
    expect(record).toMatchObject({ status: 'active', validFrom: NOW.toISOString(), changedAt: NOW.toISOString(), grantor: { role: 'guardian', ref: personRefOf(ADULT, KEY) }, minorDecidesPersonally: false });
    expect(record.recordedBy).toEqual({ organisationId: 'jyvaskyla-education', systemId: 'wilma', professionalRef: 'u-1', channel: 'professional' });
    expect(make(body()).grantor).toEqual({ role: 'guardian' });
    expect(JSON.stringify(record)).not.toContain(CHILD);
    expect(JSON.stringify(record)).not.toContain(ADULT);
  });

  it('lets a minor grant personally only when judged able to decide', () => {
    expect(fieldsOf(body({ grantor: { role: 'self' } }))).toEqual(['/minorDecidesPersonally']);
    expect(make(body({ grantor: { role: 'self', identityCode: CHILD }, minorDecidesPersonally: true })).minorDecidesPersonally).toBe(true);
  });

  it('refuses minorDecidesPersonally for a guardian or an adult, and a guardian of an adult', () => {
    expect(fieldsOf(body({ minorDecidesPersonally: true }))).toEqual(['/minorDecidesPersonally']);
    expect(fieldsOf(body({ subject: { identityCode: ADULT }, grantor: { role: 'self' }, minorDecidesPersonally: true }))).toEqual(['/minorDecidesPersonally']);
    expect(fieldsOf(body({ subject: { identityCode: ADULT } }))).toEqual(['/grantor/role']);
  });

  it("refuses a self grantor's code that is not the subject's", () => {
    expect(fieldsOf(body({ grantor: { role: 'self', identityCode: ADULT }, minorDecidesPersonally: true }))).toEqual(['/grantor/identityCode']);
  });

  it('needs an end for a permission but not for a ban, and an end after the start', () => {
    expect(fieldsOf(body({ validUntil: undefined }))).toEqual(['/validUntil']);
    expect(fieldsOf(body({ validUntil: undefined }), 'ban')).toEqual([]);
    expect(fieldsOf(body({ validFrom: '2025-12-01T00:00:00Z', validUntil: '2025-11-01T00:00:00Z' }))).toEqual(['/validUntil']);
    expect(fieldsOf(body({ validFrom: '2024-01-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' }))).toEqual(['/validUntil']);
  });

  it("ends a guardian's permission at the child's 18th birthday, whatever was asked", () => {
    const soon = syntheticIdentityCode({ year: 2007, month: 9, day: 15 }, 903);
    expect(make(body({ subject: { identityCode: soon }, validUntil: '2026-06-01T00:00:00Z' })).validUntil).toBe('2025-09-15T00:00:00.000Z');
    expect(make(body({ validUntil: '2026-01-01T00:00:00Z' })).validUntil).toBe('2026-01-01T00:00:00Z');
    expect(make(body({ subject: { identityCode: soon }, validUntil: undefined }), 'ban').validUntil).toBeUndefined();
    expect(eighteenthBirthday({ year: 2008, month: 2, day: 29 })).toBe('2026-03-01T00:00:00.000Z');
  });

  it('refuses a recipient recording a permission for itself without evidence from the grantor', () => {
    const self = body({ recipients: [{ organisationId: 'mll-keski-suomi' }] });
    expect(() => make(self, 'permission', 'mll-keski-suomi')).toThrow(expect.objectContaining({ code: 'SELF_PERMISSION_NEEDS_EVIDENCE', status: 403 }));
    expect(() => make(body(), 'permission', 'mll-keski-suomi')).toThrow(expect.objectContaining({ code: 'SELF_PERMISSION_NEEDS_EVIDENCE' }));
    expect(make({ ...self, evidenceRef: 'signed-form-77' }, 'permission', 'mll-keski-suomi').evidenceRef).toBe('signed-form-77');
    expect(make(self).recipients).toEqual([{ organisationId: 'mll-keski-suomi' }]);
  });

  it('through the resident e-service, takes the identified person as the grantor: the subject or their guardian only', () => {
    const asPerson = (b: ConsentRequest, person: { identityCode: string; guardianship?: { childIdentityCodes: string[]; source: string } }) =>
      newConsent(b, { kind: 'permission', consentId: '3a7c9e21-5b4d-4f8e-a6c2-1d9b0e7f3a42', organisationId: 'resident-portal', systemId: 'omapolku', person: { assurance: 'high', ...person }, pseudonymKey: KEY, catalogue, now: NOW });
    const { recordedBy: _none, ...noProfessional } = body();
    const guardian = { identityCode: ADULT, guardianship: { childIdentityCodes: [CHILD], source: 'vtj' } };
    expect(asPerson(noProfessional, guardian)).toMatchObject({ grantor: { role: 'guardian', ref: personRefOf(ADULT, KEY) }, recordedBy: { organisationId: 'resident-portal', systemId: 'omapolku', channel: 'resident-e-service' } });
    expect(() => asPerson(noProfessional, { identityCode: ADULT })).toThrow(expect.objectContaining({ code: 'GRANTOR_NOT_THE_PERSON', status: 403 }));
    expect(() => asPerson({ ...noProfessional, grantor: { role: 'guardian', identityCode: syntheticIdentityCode({ year: 1985, month: 1, day: 1 }, 904) } }, guardian)).toThrow(expect.objectContaining({ code: 'GRANTOR_NOT_THE_PERSON' }));
    expect(() => asPerson({ ...noProfessional, subject: { identityCode: ADULT }, grantor: { role: 'self' } }, { identityCode: CHILD })).toThrow(expect.objectContaining({ code: 'GRANTOR_NOT_THE_PERSON' }));
    expect(fieldsOf(noProfessional)).toEqual(['/recordedBy']);
  });

  it('checks disclosers and recipients against the catalogue', () => {
    expect(fieldsOf(body({ disclosers: [{ organisationId: 'jyvaskyla-education', sector: 'health' }], recipients: [{ organisationId: 'mll-keski-suomi', serviceId: 'nope' }] }))).toEqual([
      '/disclosers/0/sector', '/recipients/0/serviceId',
    ]);
  });
});

describe('consentReceipt', () => {
  it('describes a ban as no third-party disclosure, open-ended, with the sensitive categories', () => {
    const ban = make(body({ validUntil: undefined }), 'ban');
    const receipt = consentReceipt(ban, catalogue, 'https://example.test/privacy');
    expect(receipt).toMatchObject({ consentTimestamp: NOW.getTime() / 1000, collectionMethod: 'given orally to a professional, who recorded it', spiCat: ['health'], polku: { kind: 'ban' } });
    expect(receipt.services).toEqual([{
      service: 'Sektori: järjestöt',
      purposes: [
        expect.objectContaining({ purpose: 'guidance', primaryPurpose: true, termination: 'on withdrawal', thirdPartyDisclosure: false, piiCategory: ['contact', 'health'] }),
        expect.objectContaining({ purpose: 'follow-up', primaryPurpose: false }),
      ],
    }]);
  });
});
