import { SECTORS } from '@polku/contracts';
import { LIFECYCLE_VERBS, TIMER_VERBS } from '../../domain/status-record';

/** RFC 9457 problem details as service-kit answers them. */
export const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', description: 'urn:polku:problem:<code>; see docs/errors.md' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    traceId: { type: 'string', description: 'The request\'s trace (W3C trace id): search the logs of every service for it; docs/tracing.md' },
    errors: {
      type: 'array',
      description: 'Every failing field, as a JSON pointer.',
      items: { type: 'object', properties: { field: { type: 'string' }, in: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'in', 'message'] },
    },
  },
  required: ['type', 'title', 'status', 'code', 'detail'],
  additionalProperties: true,
} as const;

/** A response in problem+json, so the OpenAPI document names the right media type. */
export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: problemSchema } } };
}

export const submitAnswerSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['submitted'] },
    links: { type: 'object', properties: { self: { type: 'string' } }, required: ['self'] },
  },
  required: ['id', 'status', 'links'],
} as const;

const party = {
  type: 'object',
  properties: { organisationId: { type: 'string' }, serviceId: { type: 'string' }, sector: { type: 'string', enum: SECTORS } },
  required: ['organisationId'],
};

const timelineEntry = {
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time' },
    type: { type: 'string', enum: [...LIFECYCLE_VERBS, ...TIMER_VERBS] },
    eventId: { type: 'string' },
    lead: party,
    coWorkers: { type: 'array', items: party },
    ruleId: { type: 'string', description: 'For routed: the rule that decided (lead-declined and sla-breached are hand-overs to a coordinator).' },
    viaCoordinator: { type: 'boolean' },
    recipient: party,
    deliveryId: { type: 'string', format: 'uuid' },
    attempts: { type: 'integer', description: 'Delivery attempts, this one included, when the adapter reports them.' },
    by: party,
    reasonCode: { type: 'string' },
    channel: { type: 'string' },
    from: party,
    to: party,
    sla: { type: 'string' },
    dueAt: { type: 'string', format: 'date-time' },
  },
  required: ['at', 'type', 'eventId'],
};

export const statusSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    state: { type: 'string', enum: LIFECYCLE_VERBS, description: 'The latest lifecycle step; SLA and follow-up timers do not change it.' },
    submittedAt: { type: 'string', format: 'date-time' },
    lead: { ...party, description: 'The family\'s one contact, once routed.' },
    timeline: { type: 'array', items: timelineEntry, description: 'Every step across sectors, oldest first.' },
  },
  required: ['id', 'state', 'submittedAt', 'timeline'],
} as const;
