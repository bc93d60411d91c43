import { commonDefinition, LEGAL_BASES, NEED_CODES, SUBMITTER_ROLES, URGENCIES } from '@polku/contracts';
import { CONTACT_CHANNELS, GUARDIAN_RELATIONSHIPS } from '../../domain/referral-request';

/**
 * The request schema of `POST /v1/referrals`. Closed everywhere; the codes come from
 * schemas/common so the API accepts exactly what the `referral.submitted` contract carries.
 * Checks the schema cannot make (catalogue municipalities, identity-code check characters)
 * are in domain/check-referral.ts.
 */
const name = { type: 'string', minLength: 1, maxLength: 100 };
const phone = { type: 'string', pattern: '^\\+?[0-9][0-9 ()-]{4,24}$', description: 'E.164 or national format, e.g. +358 40 123 4567' };
const email = { type: 'string', format: 'email', maxLength: 254 };

const submitter = {
  type: 'object',
  description: 'Who submits, by role. The organisation is taken from the API key, never from the body.',
  properties: {
    role: { type: 'string', enum: SUBMITTER_ROLES, description: 'resident for a self-referral through a resident e-service.' },
    userRef: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'Opaque id of the professional in the organisation\'s own directory; never a name.' },
  },
  required: ['role'],
  additionalProperties: false,
};

const child = {
  type: 'object',
  description: 'The child or young person. Kept in the vault, encrypted; never on a topic or in a log.',
  properties: {
    identityCode: { type: 'string', minLength: 11, maxLength: 11, description: 'Finnish personal identity code (HETU). Required unless submitter.role is resident.' },
    firstName: name,
    lastName: name,
    birthDate: { type: 'string', format: 'date', description: 'YYYY-MM-DD; gives the age band when there is no identity code.' },
  },
  required: ['firstName', 'lastName'],
  additionalProperties: false,
};

const guardian = {
  type: 'object',
  properties: { firstName: name, lastName: name, phone, email, relationship: { type: 'string', enum: GUARDIAN_RELATIONSHIPS } },
  required: ['firstName', 'lastName'],
  additionalProperties: false,
};

const contact = {
  type: 'object',
  description: 'How the family (or the young person) wants to be reached.',
  properties: { phone, email, preferredChannel: { type: 'string', enum: CONTACT_CHANNELS } },
  additionalProperties: false,
};

export const submitBodySchema = {
  type: 'object',
  properties: {
    submitter,
    child,
    guardians: { type: 'array', items: guardian, minItems: 0, maxItems: 4 },
    contact,
    description: { type: 'string', minLength: 1, maxLength: 4000, description: 'What the concern is, in the submitter\'s words. Vault only.' },
    needCodes: { type: 'array', items: { type: 'string', enum: NEED_CODES }, minItems: 1, uniqueItems: true },
    urgency: { type: 'string', enum: URGENCIES },
    municipalityCode: { ...commonDefinition('municipalityCode'), description: 'Statistics Finland code of the child\'s home municipality; must be in the service catalogue.' },
    language: commonDefinition('language'),
    legalBasis: { type: 'string', enum: LEGAL_BASES, description: 'consent, or the statute the referral is made under: lsl-25 (child-welfare notification), lsl-25a (joint contact), shl-35.' },
  },
  required: ['submitter', 'child', 'guardians', 'contact', 'description', 'needCodes', 'urgency', 'municipalityCode', 'language', 'legalBasis'],
  additionalProperties: false,
} as const;

export const submitHeadersSchema = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 128, description: 'Makes a retried submit return the first answer and create nothing new (kept 24 h per organisation).' },
  },
} as const;
