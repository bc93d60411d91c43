import { commonDefinition } from '@polku/contracts';

/**
 * Request and response schemas, built from schemas/common so the HTTP API cannot drift from
 * the events. Identity codes are plain strings here: the handler checks them, so an error
 * never quotes one back.
 */
const key = commonDefinition('catalogueKey');
const sector = commonDefinition('sector');
const timestamp = commonDefinition('timestamp');
const consentId = commonDefinition('consentId');
export const subjectRef = commonDefinition('subjectRef');
const uniqueArray = (items: object) => ({ type: 'array', items, minItems: 1, uniqueItems: true });

export const identityCode = { type: 'string', minLength: 1, maxLength: 32, description: 'Finnish personal identity code; checked, turned into the subject reference, never stored' };
export const dataCategories = uniqueArray(commonDefinition('dataCategory'));
export const purpose = commonDefinition('purpose');
export const legalBasis = commonDefinition('legalBasis');

export const party = {
  type: 'object',
  properties: { organisationId: key, serviceId: key, sector },
  required: ['organisationId'],
  additionalProperties: false,
};
const sectorRecipient = { type: 'object', properties: { sector }, required: ['sector'], additionalProperties: false };
const consentRecipient = { anyOf: [party, sectorRecipient] };
const grantorRole = { type: 'string', enum: ['self', 'guardian', 'legal-representative'] };
const form = { type: 'string', enum: ['written', 'oral', 'electronic'] };

export const consentRequestBody = {
  type: 'object',
  properties: {
    subject: { type: 'object', properties: { identityCode }, required: ['identityCode'], additionalProperties: false },
    grantor: { type: 'object', properties: { role: grantorRole, identityCode }, required: ['role'], additionalProperties: false },
    minorDecidesPersonally: { type: 'boolean' },
    disclosers: uniqueArray(party),
    recipients: uniqueArray(consentRecipient),
    dataCategories,
    purposes: uniqueArray(purpose),
    legalFramework: commonDefinition('legalFramework'),
    validFrom: timestamp,
    validUntil: timestamp,
    form,
    recordedBy: { type: 'object', properties: { professionalRef: commonDefinition('professionalRef') }, required: ['professionalRef'], additionalProperties: false },
    evidenceRef: commonDefinition('opaqueRef'),
  },
  // recordedBy: required when a professional records; absent when a person does, through the resident e-service.
  required: ['subject', 'grantor', 'disclosers', 'recipients', 'dataCategories', 'purposes', 'legalFramework', 'form'],
  additionalProperties: false,
};

export const consentRecord = {
  type: 'object',
  properties: {
    consentId,
    subjectRef,
    kind: { type: 'string', enum: ['permission', 'ban'] },
    grantor: { type: 'object', properties: { role: grantorRole, ref: { type: 'string' } }, required: ['role'] },
    minorDecidesPersonally: { type: 'boolean' },
    disclosers: { type: 'array', items: party },
    recipients: { type: 'array', items: consentRecipient },
    dataCategories,
    purposes: { type: 'array', items: purpose },
    legalFramework: { type: 'string' },
    validFrom: timestamp,
    validUntil: timestamp,
    form,
    recordedBy: { type: 'object', properties: { organisationId: key, systemId: { type: 'string' }, professionalRef: { type: 'string' }, channel: { type: 'string' } }, required: ['organisationId'] },
    evidenceRef: { type: 'string' },
    status: { type: 'string', enum: ['active', 'withdrawn', 'expired'] },
    changedAt: timestamp,
    withdrawal: {
      type: 'object',
      properties: {
        by: { type: 'object', properties: { kind: { type: 'string' }, personRef: { type: 'string' }, role: grantorRole, organisationId: key, systemId: { type: 'string' } }, required: ['kind'] },
        reason: { type: 'string' },
        at: timestamp,
      },
      required: ['by', 'reason', 'at'],
    },
  },
  required: ['consentId', 'subjectRef', 'kind', 'grantor', 'recipients', 'dataCategories', 'purposes', 'validFrom', 'status', 'changedAt'],
};

const stringArray = { type: 'array', items: { type: 'string' } };

export const receipt = {
  type: 'object',
  description: 'Kantara Consent Receipt v1.1 fields that apply, plus `polku`',
  properties: {
    version: { type: 'string' },
    jurisdiction: { type: 'string' },
    consentTimestamp: { type: 'integer' },
    collectionMethod: { type: 'string' },
    consentReceiptID: { type: 'string' },
    language: { type: 'string' },
    piiPrincipalId: { type: 'string' },
    piiControllers: {
      type: 'array',
      items: { type: 'object', properties: { piiController: { type: 'string' }, onBehalf: { type: 'boolean' }, organisationId: { type: 'string' } } },
    },
    policyUrl: { type: 'string' },
    services: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          service: { type: 'string' },
          purposes: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                purpose: { type: 'string' }, purposeCategory: stringArray, consentType: { type: 'string' }, piiCategory: stringArray,
                primaryPurpose: { type: 'boolean' }, termination: { type: 'string' }, thirdPartyDisclosure: { type: 'boolean' }, thirdPartyName: { type: 'string' },
              },
            },
          },
        },
      },
    },
    sensitive: { type: 'boolean' },
    spiCat: stringArray,
    polku: {
      type: 'object',
      properties: {
        kind: { type: 'string' }, legalFramework: { type: 'string' }, validFrom: { type: 'string' }, validUntil: { type: 'string' },
        grantorRole: { type: 'string' }, minorDecidesPersonally: { type: 'boolean' },
      },
    },
  },
};

export const consentIdParams = { type: 'object', properties: { id: consentId }, required: ['id'], additionalProperties: false };

export const consentList = {
  type: 'object',
  properties: { subjectRef, consents: { type: 'array', items: consentRecord } },
  required: ['subjectRef', 'consents'],
};

export const withdrawalReason = { type: 'string', enum: ['grantor-request', 'recorded-in-error', 'superseded', 'other'] };
