import { reasonBodySchema } from '@polku/operator-audit';
import { problemResponse } from '../referrals/response-schemas';

/** The roles a key may be issued with here; `backbone` keys are Polku's own, issued by the launcher. */
export const ISSUABLE_ROLES = ['submitter', 'recipient', 'operator', 'auditor', 'resident'] as const;

const slug = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 } as const;
const reason = { type: 'string', minLength: 3, maxLength: 500, description: 'Why: kept in the key audit with who and when. Name no person.' } as const;

export const keyParamsSchema = { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9]{12}$' } }, required: ['id'] } as const;

export const keyListingSchema = {
  type: 'object',
  properties: {
    keyId: { type: 'string' },
    organisationId: { type: 'string' },
    systemId: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    services: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    revokedAt: { type: ['string', 'null'], format: 'date-time' },
    rotatedAt: { type: ['string', 'null'], format: 'date-time' },
    previousSecretUntil: { type: ['string', 'null'], format: 'date-time', description: 'Until when the secret before the last rotation still works' },
    state: { type: 'string', enum: ['active', 'expired', 'revoked'] },
  },
  required: ['keyId', 'organisationId', 'systemId', 'roles', 'services', 'createdAt', 'expiresAt', 'revokedAt', 'rotatedAt', 'previousSecretUntil', 'state'],
} as const;

export const issueBodySchema = {
  type: 'object',
  properties: {
    organisationId: slug,
    systemId: slug,
    roles: { type: 'array', items: { type: 'string', enum: ISSUABLE_ROLES }, minItems: 1, uniqueItems: true },
    services: { type: 'array', items: slug, uniqueItems: true, description: 'Catalogue services the system acts for (a recipient reads referrals only for these)' },
    expiresAt: { type: 'string', format: 'date-time' },
    reason,
  },
  required: ['organisationId', 'systemId', 'roles', 'reason'],
  additionalProperties: false,
} as const;

/**
 * The operator audit topic carries no free text: a revocation's reason goes there as a code and
 * a ticket reference (`reason` itself stays in api_key_audit, in PostgreSQL).
 */
export const revokeBodySchema = {
  type: 'object',
  properties: {
    reason,
    reasonCode: { type: 'string', enum: ['key-compromised', 'key-unused', 'mistake', 'drill', 'other'], description: 'The reason as the operator audit topic records it. Default other' },
    ticket: reasonBodySchema.ticket,
  },
  required: ['reason'],
  additionalProperties: false,
} as const;

export const rotateBodySchema = {
  type: 'object',
  properties: {
    reason,
    overlapSeconds: { type: 'integer', minimum: 0, maximum: 30 * 24 * 3600, description: 'How long the old secret keeps working. Default 86400 (24 h)' },
  },
  required: ['reason'],
  additionalProperties: false,
} as const;

/** An answer that carries a secret: shown once, never again. */
export const secretAnswerSchema = {
  type: 'object',
  properties: {
    keyId: { type: 'string' },
    key: { type: 'string', description: 'The whole key (`pk_<id>.<secret>`), shown only in this answer' },
    previousSecretUntil: { type: 'string', format: 'date-time' },
  },
  required: ['keyId', 'key'],
} as const;

export const keyProblems = {
  401: problemResponse('No valid API key (NOT_AUTHENTICATED, KEY_REVOKED, KEY_EXPIRED)'),
  403: problemResponse('The key lacks the role operator'),
  429: problemResponse('TOO_MANY_AUTH_FAILURES'),
};
