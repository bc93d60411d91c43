/** Codes of an event: their shape follows the event type (docs/console.md lists them). */
const codes = { type: 'object', additionalProperties: true } as const;
const looseList = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** One attempt the adapter host logged: codes, the external system's status and times, never its answer. */
const attempt = {
  type: 'object',
  properties: {
    attempt: { type: 'integer', description: 'The BullMQ attempt, from 1; a not-ready try shares the number of the attempt after it' },
    startedAt: { type: 'string' },
    endedAt: { type: 'string' },
    outcome: { type: 'string', enum: ['delivered', 'failed-retrying', 'failed', 'stopped', 'not-ready'] },
    errorCode: { type: 'string' },
    externalHttpStatus: { type: 'integer', description: "The external system's HTTP status, when it answered" },
  },
  required: ['attempt', 'startedAt', 'endedAt', 'outcome'],
} as const;

/** A delivery: the outcome its events say, every attempt, the BullMQ job while the queue has it. */
const delivery = {
  type: 'object',
  additionalProperties: true,
  properties: {
    deliveryId: { type: 'string' },
    adapterId: { type: 'string' },
    status: { type: 'string', description: 'queued (attempts only, or nothing yet), delivered, succeeded or failed' },
    attempts: { type: 'integer' },
    lastErrorCode: { type: 'string' },
    externalHttpStatus: { type: 'integer' },
    retryable: { type: 'boolean' },
    attemptLog: { type: 'array', items: attempt, description: 'Every attempt in the order it ran (adapter_host_delivery_attempts)' },
  },
  required: ['deliveryId', 'status', 'attemptLog', 'events'],
} as const;

/** The answer of every trace route: the same trace, whichever id found it. */
export const traceAnswer = {
  type: 'object',
  properties: {
    referralId: { type: 'string' },
    lastStatus: { type: 'string', description: 'The verb of the latest lifecycle event (submitted, routed, delivered, accepted, …)' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          eventId: { type: 'string' }, type: { type: 'string' }, topic: { type: 'string' }, partition: { type: 'integer' }, offset: { type: 'string' },
          time: { type: 'string' }, correlationId: { type: 'string' }, causationId: { type: 'string' }, deliveryId: { type: 'string' }, consentId: { type: 'string' },
          codes,
        },
        required: ['eventId', 'type', 'topic', 'partition', 'offset', 'time', 'codes'],
      },
    },
    routing: { type: 'object', additionalProperties: true, description: 'The routed event: ruleId, lead, coWorkers, viaCoordinator' },
    consent: looseList,
    disclosures: looseList,
    deliveries: { type: 'array', items: delivery },
    timers: { type: 'object', properties: { held: looseList, events: looseList } },
  },
  required: ['referralId', 'events', 'consent', 'disclosures', 'deliveries', 'timers'],
} as const;

export const traceSummary = 'Operators see codes only; an auditor also sees each disclosure-log entry (subject reference, recipient user, fields, consent).';
