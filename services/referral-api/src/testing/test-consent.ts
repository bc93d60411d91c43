import { randomUUID } from 'node:crypto';
import type { Catalogue } from '@polku/catalogue';
import { decideDisclosure, type ConsentRecord, type DisclosureRecipient } from '@polku/consent-policy';
import { ConsentUnavailable, type ConsentDecider, type DecisionQuestion } from '@polku/consent-policy/client';
import type { DataCategory, Party } from '@polku/contracts';

/**
 * A consent decider for tests that runs the real policy (`decideDisclosure`) over consent
 * records the test holds, and resolves the recipient through the catalogue as the consent
 * service does. Swap `records` to grant or withdraw; set `unavailable` to fail like a dead service.
 */
export interface TestConsent extends ConsentDecider {
  records: ConsentRecord[];
  unavailable: boolean;
  /** Every question asked, for checks on what was asked. */
  questions: DecisionQuestion[];
}

export function testConsent(catalogue: Catalogue): TestConsent {
  const consent: TestConsent = {
    records: [],
    unavailable: false,
    questions: [],
    async decide(question) {
      consent.questions.push(question);
      if (consent.unavailable) throw new ConsentUnavailable('HTTP 503');
      return decideDisclosure(consent.records, {
        subjectRef: question.subjectRef,
        recipient: resolve(catalogue, question.recipient),
        dataCategories: question.dataCategories,
        purpose: question.purpose,
        ...(question.legalBasis ? { legalBasis: question.legalBasis } : {}),
        at: new Date(),
      });
    },
  };
  return consent;
}

function resolve(catalogue: Catalogue, party: Party): DisclosureRecipient {
  const organisation = catalogue.organisations.find((o) => o.id === party.organisationId);
  if (!organisation) throw new ConsentUnavailable(`HTTP 400 (${party.organisationId} is not in the catalogue)`);
  const service = party.serviceId === undefined ? undefined : catalogue.services.find((s) => s.id === party.serviceId && s.organisationId === organisation.id);
  if (party.serviceId !== undefined && !service) throw new ConsentUnavailable(`HTTP 400 (${party.serviceId} is not a service of ${organisation.id})`);
  if (!service) return { organisationId: organisation.id, sector: organisation.sector };
  return { organisationId: organisation.id, serviceId: service.id, sector: service.sector ?? organisation.sector, acceptsStatutory: service.acceptsStatutory };
}

/** An active permission of a guardian, for service provision, to the recipients named. */
export function permission(subjectRef: string, recipients: ConsentRecord['recipients'], dataCategories: DataCategory[], overrides: Partial<ConsentRecord> = {}): ConsentRecord {
  const now = new Date();
  return {
    consentId: randomUUID(),
    subjectRef,
    kind: 'permission',
    grantor: { role: 'guardian' },
    minorDecidesPersonally: false,
    disclosers: [{ organisationId: 'jyvaskyla-education' }],
    recipients,
    dataCategories: dataCategories as ConsentRecord['dataCategories'],
    purposes: ['service-provision'],
    legalFramework: '703/2023',
    validFrom: new Date(now.getTime() - 60_000).toISOString(),
    validUntil: new Date(now.getTime() + 86_400_000).toISOString(),
    form: 'written',
    recordedBy: { organisationId: 'jyvaskyla-education', systemId: 'wilma', professionalRef: 'u-1' },
    status: 'active',
    changedAt: now.toISOString(),
    ...overrides,
  } as ConsentRecord;
}
