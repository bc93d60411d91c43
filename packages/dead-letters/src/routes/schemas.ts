import { reasonBodySchema } from '@polku/operator-audit';

const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', description: 'urn:polku:problem:<code>; see docs/errors.md' },
    title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' }, instance: { type: 'string' },
    errors: {
      type: 'array', description: 'Every failing field, as a JSON pointer.',
      items: { type: 'object', properties: { field: { type: 'string' }, in: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'in', 'message'] },
    },
  },
  required: ['type', 'title', 'status', 'code', 'detail'],
  additionalProperties: true,
} as const;

export function problem(description: string) {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}

export const readProblems = {
  401: problem('No valid API key (NOT_AUTHENTICATED, KEY_REVOKED, KEY_EXPIRED)'),
  403: problem('FORBIDDEN: the key has neither the operator nor the auditor role'),
  503: problem('DATABASE_UNAVAILABLE (Retry-After)'),
};

export const actionProblems = {
  400: problem('VALIDATION_FAILED: the body breaks the schema (a missing reason is named as /reason)'),
  401: problem('No valid API key (NOT_AUTHENTICATED, KEY_REVOKED, KEY_EXPIRED)'),
  403: problem('FORBIDDEN: the key lacks the operator role'),
  503: problem('AUDIT_UNAVAILABLE: the audit could not be written, so nothing was done; or DATABASE_UNAVAILABLE (Retry-After)'),
};

const topic = { type: 'string', pattern: '^[a-z0-9.-]{1,249}$', description: 'The original topic, or its .dlq' } as const;
const group = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,249}$', description: 'The consumer group that failed; a projection\'s name without its generation matches every generation' } as const;
const errorCode = { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' } as const;
const time = { type: 'string', format: 'date-time' } as const;
export const STATES = ['open', 'replayed', 'parked', 'resolved'] as const;

export const filterQuerySchema = {
  type: 'object',
  properties: {
    topic, group, errorCode, from: { ...time, description: 'Dead-lettered at or after' }, to: { ...time, description: 'Dead-lettered before' },
    state: { type: 'string', enum: STATES },
    limit: { type: 'string', pattern: '^(500|[1-4]?[0-9]{1,2})$', description: 'Rows per page, 1-500 (default 100)' },
    before: { type: 'string', maxLength: 400, description: 'The `next` cursor of the previous page' },
  },
  additionalProperties: false,
} as const;

export const idParamsSchema = {
  type: 'object',
  properties: { topic: { type: 'string', pattern: '^[a-z0-9.-]{1,249}\\.dlq$' }, partition: { type: 'string', pattern: '^[0-9]{1,6}$' }, offset: { type: 'string', pattern: '^[0-9]{1,20}$' } },
  required: ['topic', 'partition', 'offset'],
  additionalProperties: false,
} as const;

export const reasonBody = {
  type: 'object',
  properties: { ...reasonBodySchema },
  required: ['reason'],
  additionalProperties: false,
} as const;

const nullableString = { type: ['string', 'null'] } as const;

export const deadLetterViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: '<dlq topic>/<partition>/<offset>' },
    dlqTopic: { type: 'string' }, originalTopic: { type: 'string' }, originalPartition: { type: ['integer', 'null'] }, originalOffset: nullableString,
    consumerGroup: { type: 'string' }, consumer: { type: 'string', description: 'The group without a projection generation: whose retry topic a replay goes to' },
    errorCode: { type: 'string' }, errorMessage: { type: 'string', description: 'Masked like a log line, at most 1000 characters' }, attempts: { type: 'integer' },
    eventId: nullableString, eventType: nullableString, deliveryId: nullableString, replayCount: { type: 'integer' },
    firstFailureAt: nullableString, deadLetteredAt: { type: 'string' }, state: { type: 'string', enum: STATES }, parkedReason: nullableString, stateChangedAt: { type: 'string' },
    valueBytes: { type: 'integer', description: 'Size of the record value; its bytes are never shown' },
    parseError: { ...nullableString, description: 'Why the value is not an event, when it is not' },
  },
  required: ['id', 'dlqTopic', 'originalTopic', 'consumerGroup', 'consumer', 'errorCode', 'attempts', 'replayCount', 'deadLetteredAt', 'state', 'valueBytes'],
} as const;

export const deadLetterDetailSchema = {
  ...deadLetterViewSchema,
  properties: { ...deadLetterViewSchema.properties, headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Every header: event ids, trace, replay count, the bus\'s dead-letter headers' } },
  required: [...deadLetterViewSchema.required, 'headers'],
} as const;

export const bulkFilterProperties = { topic, group, errorCode, from: time, to: time } as const;

export const dryRunSchema = {
  type: 'object',
  properties: {
    filter: { type: 'object', properties: bulkFilterProperties },
    matched: { type: 'integer' },
    byCause: { type: 'array', items: { type: 'object', properties: { errorCode: { type: 'string' }, group: { type: 'string' }, count: { type: 'integer' } }, required: ['errorCode', 'group', 'count'] } },
  },
  required: ['filter', 'matched', 'byCause'],
} as const;

export const bulkProgressSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' }, dlqTopic: { type: 'string' }, filter: { type: 'object', properties: bulkFilterProperties },
    state: { type: 'string', enum: ['running', 'completed', 'cancelled'] }, matched: { type: 'integer' }, replayed: { type: 'integer' }, skipped: { type: 'integer' },
    ratePerSecond: { type: 'integer' }, actionId: { type: 'string' }, createdAt: { type: 'string' }, finishedAt: nullableString,
  },
  required: ['id', 'dlqTopic', 'filter', 'state', 'matched', 'replayed', 'skipped', 'ratePerSecond', 'actionId', 'createdAt'],
} as const;

export const bulkIdParamsSchema = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false } as const;
