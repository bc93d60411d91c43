import type { Catalogue } from '@polku/catalogue';
import type { ConsentRecord } from '@polku/consent-policy';
import type { DataCategory, Purpose } from '@polku/contracts';
import { displayName } from './catalogue-refs';

/**
 * A consent receipt with the fields of the Kantara Initiative Consent Receipt Specification
 * v1.1 that apply, plus `polku` (what Kantara has no field for: a ban, validity, the act).
 * Controllers' contact details are not in the catalogue yet, so they are left out.
 */
export interface ConsentReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: 'FI';
  /** Seconds since the epoch, as the specification has it. */
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: 'fi';
  /** The pseudonymous subject reference: a receipt never holds an identity code. */
  piiPrincipalId: string;
  piiControllers: Array<{ piiController: string; onBehalf: boolean; organisationId: string }>;
  policyUrl: string;
  services: Array<{ service: string; purposes: ReceiptPurpose[] }>;
  sensitive: true;
  spiCat: DataCategory[];
  polku: { kind: ConsentRecord['kind']; legalFramework: string; validFrom: string; validUntil?: string; grantorRole: string; minorDecidesPersonally: boolean };
}

interface ReceiptPurpose {
  purpose: Purpose;
  purposeCategory: string[];
  consentType: 'EXPLICIT';
  piiCategory: DataCategory[];
  primaryPurpose: boolean;
  termination: string;
  thirdPartyDisclosure: boolean;
  thirdPartyName: string;
}

const COLLECTION_METHODS: Record<ConsentRecord['form'], string> = {
  written: 'written form, recorded by a professional',
  oral: 'given orally to a professional, who recorded it',
  electronic: 'given electronically',
};

const PURPOSE_CATEGORIES: Record<Purpose, string[]> = {
  guidance: ['3rd Party Sharing for Core Function'],
  'service-provision': ['3rd Party Sharing for Core Function'],
  'child-welfare-assessment': ['3rd Party Sharing for Core Function', 'Protecting Your Health'],
  'follow-up': ['3rd Party Sharing for Core Function'],
};

/** Special categories (GDPR art. 9 and the client-data act): health and social-care data. */
const SENSITIVE: readonly DataCategory[] = ['health', 'social-care'];

export function consentReceipt(record: ConsentRecord, catalogue: Catalogue, policyUrl: string): ConsentReceipt {
  const termination = record.validUntil ?? 'on withdrawal';
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'FI',
    consentTimestamp: Math.floor(Date.parse(record.changedAt) / 1000),
    collectionMethod: COLLECTION_METHODS[record.form],
    consentReceiptID: record.consentId,
    language: 'fi',
    piiPrincipalId: record.subjectRef,
    piiControllers: record.disclosers.map((d) => ({ piiController: displayName(catalogue, d), onBehalf: false, organisationId: d.organisationId })),
    policyUrl,
    services: record.recipients.map((recipient) => {
      const name = displayName(catalogue, recipient);
      return {
        service: name,
        purposes: record.purposes.map((purpose, i) => ({
          purpose,
          purposeCategory: PURPOSE_CATEGORIES[purpose],
          consentType: 'EXPLICIT' as const,
          piiCategory: [...record.dataCategories],
          primaryPurpose: i === 0,
          termination,
          // A ban is a declaration that these recipients must NOT receive the data.
          thirdPartyDisclosure: record.kind === 'permission',
          thirdPartyName: name,
        })),
      };
    }),
    sensitive: true,
    spiCat: record.dataCategories.filter((c) => SENSITIVE.includes(c)),
    polku: {
      kind: record.kind,
      legalFramework: record.legalFramework,
      validFrom: record.validFrom,
      ...(record.validUntil ? { validUntil: record.validUntil } : {}),
      grantorRole: record.grantor.role,
      minorDecidesPersonally: record.minorDecidesPersonally,
    },
  };
}
