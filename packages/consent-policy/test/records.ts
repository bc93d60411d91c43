import type { ConsentRecord, DisclosureRequest } from '../src/index';

export const SUBJECT = `sr_${'a'.repeat(43)}`;
export const AT = new Date('2025-06-01T10:00:00Z');

let next = 0;

/** A guardian's active permission to the family centre of the wellbeing area, for guidance. */
export function consent(overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  next += 1;
  return {
    consentId: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    subjectRef: SUBJECT,
    kind: 'permission',
    grantor: { role: 'guardian' },
    minorDecidesPersonally: false,
    disclosers: [{ organisationId: 'jyvaskyla-education' }],
    recipients: [{ organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-family-centre-jyvaskyla' }],
    dataCategories: ['contact', 'need-description'],
    purposes: ['guidance'],
    legalFramework: '703/2023',
    validFrom: '2025-01-01T00:00:00Z',
    validUntil: '2026-01-01T00:00:00Z',
    form: 'written',
    recordedBy: { organisationId: 'jyvaskyla-education', systemId: 'wilma', professionalRef: 'u-1' },
    status: 'active',
    changedAt: '2025-01-01T00:00:00Z',
    ...overrides,
  };
}

export const FAMILY_CENTRE = { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-family-centre-jyvaskyla', sector: 'social-services' } as const;
export const CHILD_WELFARE = { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-child-welfare-jyvaskyla', sector: 'social-services' } as const;
export const NGO = { organisationId: 'mll-keski-suomi', serviceId: 'mll-family-support', sector: 'ngo' } as const;
export const PARISH = { organisationId: 'jyvaskylan-seurakunta', serviceId: 'jkl-parish-family-counselling', sector: 'parish' } as const;

export function request(overrides: Partial<DisclosureRequest> = {}): DisclosureRequest {
  return { subjectRef: SUBJECT, recipient: FAMILY_CENTRE, dataCategories: ['contact'], purpose: 'guidance', at: AT, ...overrides };
}
