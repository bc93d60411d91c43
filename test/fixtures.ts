import { randomUUID } from 'node:crypto';
import { uniqueChildIdentityCode } from '@polku/test-kit';

/**
 * Synthetic people only: identity codes use individual numbers 900–999 (test codes), and
 * names and texts are unusual enough that a scan for them finds nothing by chance.
 */
export interface ReferralFixture {
  body: Record<string, unknown>;
  /** Every personal value in the body, for the scan of topics and logs. */
  personalValues: string[];
}

let counter = 0;

export function learningSupportReferral(overrides: Record<string, unknown> = {}): ReferralFixture {
  counter += 1;
  const identityCode = uniqueChildIdentityCode(2016);
  const tag = randomUUID().slice(0, 8);
  const child = { identityCode, firstName: `Ilmatar${tag}`, lastName: `Testinen${tag}` };
  const guardian = { firstName: `Väinö${tag}`, lastName: `Testinen${tag}`, phone: `+358 40 900 ${String(counter).padStart(4, '0')}`, email: `guardian.${tag}@example.invalid` };
  const description = `Lukeminen on ollut hidasta koko syksyn; opettaja ${tag} toivoo tukea.`;
  const body = {
    submitter: { role: 'teacher' },
    child,
    guardians: [guardian],
    contact: { phone: guardian.phone, preferredChannel: 'phone' },
    description,
    needCodes: ['learning-support'],
    urgency: 'routine',
    municipalityCode: '179',
    language: 'fi',
    legalBasis: 'consent',
    ...overrides,
  };
  return { body, personalValues: [identityCode, child.firstName, child.lastName, guardian.firstName, guardian.phone, guardian.email, description] };
}

/** A referral no adapter delivers (family support → the wellbeing area's family centre), for router tests. */
export function familySupportReferral(): ReferralFixture {
  return learningSupportReferral({ needCodes: ['parenting-support'], submitter: { role: 'public-health-nurse' } });
}

/** A consent recorded by a professional: who may receive what, for what purpose. */
export function consentBody(identityCode: string, options: {
  recipients: Array<{ organisationId?: string; serviceId?: string; sector?: string }>;
  dataCategories?: string[];
  kind?: 'guardian' | 'minor';
  validForMs?: number;
  /**
   * The signed form the grantor gave; needed when the recorder names itself as a recipient.
   * @defaultValue a Wilma form reference; null for none
   */
  evidenceRef?: string | null;
}): Record<string, unknown> {
  const minor = options.kind === 'minor';
  return {
    subject: { identityCode },
    grantor: minor ? { role: 'self', identityCode } : { role: 'guardian' },
    ...(minor ? { minorDecidesPersonally: true } : {}),
    disclosers: [{ organisationId: 'jyvaskyla-education' }],
    recipients: options.recipients,
    dataCategories: options.dataCategories ?? ['identity', 'contact', 'guardians', 'need-description'],
    purposes: ['service-provision'],
    legalFramework: '703/2023',
    validUntil: new Date(Date.now() + (options.validForMs ?? 30 * 24 * 3600 * 1000)).toISOString(),
    form: 'electronic',
    recordedBy: { professionalRef: 'e2e-teacher' },
    ...(options.evidenceRef === null ? {} : { evidenceRef: options.evidenceRef ?? 'wilma:form:e2e' }),
  };
}

/** The identity code inside a fixture, for consents about the same child. */
export function identityCodeOf(fixture: ReferralFixture): string {
  return (fixture.body.child as { identityCode: string }).identityCode;
}

/** An LSL 25 § child-welfare notification from a school: statutory, no consent needed. */
export function childWelfareNotification(): ReferralFixture {
  return learningSupportReferral({ needCodes: ['child-welfare-concern'], legalBasis: 'lsl-25', urgency: 'soon' });
}
