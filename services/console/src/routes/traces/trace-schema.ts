/** Codes of an event: their shape follows the event type (docs/console.md lists them). */
const codes = { type: 'object', additionalProperties: true } as const;
const looseList = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

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
    deliveries: looseList,
    timers: { type: 'object', properties: { held: looseList, events: looseList } },
  },
  required: ['referralId', 'events', 'consent', 'disclosures', 'deliveries', 'timers'],
} as const;

export const traceSummary = 'Operators see codes only; an auditor also sees each disclosure-log entry (subject reference, recipient user, fields, consent).';
