const recipient = {
  type: 'object',
  properties: { organisationId: { type: 'string' }, systemId: { type: 'string' }, userRef: { type: 'string' } },
};

const entry = {
  type: 'object',
  description: 'One release or refusal, as the disclosure log holds it (the event\'s data).',
  properties: {
    outcome: { type: 'string', enum: ['disclosed', 'refused'] },
    disclosureId: { type: 'string', format: 'uuid' },
    subjectRef: { type: 'string' },
    referralId: { type: 'string', format: 'uuid' },
    recipient,
    dataCategories: { type: 'array', items: { type: 'string' } },
    fields: { type: 'array', items: { type: 'string' }, description: 'Released only, entries since disclosed.v2: exactly the fields released (e.g. `contact`, `needCodes`); absent in older entries.' },
    deliveryId: { type: 'string', format: 'uuid', description: 'The delivery to an external system the release was made for or by, if any.' },
    purpose: { type: 'string' },
    basis: {
      type: 'object',
      description: 'Released only: `consent` with consentId, or `statute` with its code and label (e.g. `lsl-25`, `LSL 25 §`).',
      properties: { kind: { type: 'string' }, consentId: { type: 'string' }, statute: { type: 'string' }, label: { type: 'string' } },
    },
    reasonCode: { type: 'string', description: 'Refused only: why.' },
    at: { type: 'string', format: 'date-time' },
  },
  required: ['outcome', 'disclosureId', 'subjectRef', 'recipient', 'dataCategories', 'purpose', 'at'],
};

export const disclosuresAnswerSchema = {
  type: 'object',
  properties: {
    subjectRef: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    disclosures: { type: 'array', items: entry, description: 'Every release and refusal in the window, oldest first.' },
  },
  required: ['subjectRef', 'from', 'to', 'disclosures'],
} as const;

const when = { type: 'string', maxLength: 40, description: 'YYYY-MM-DD or a date-time with an offset' };

export const windowQuerySchema = {
  type: 'object',
  properties: {
    from: { ...when, description: `${when.description}. @defaultValue two years back; no earlier than the start of the day two years back` },
    to: { ...when, description: `${when.description}; a date includes that whole day. @defaultValue now` },
  },
  additionalProperties: false,
} as const;

export const lookupBodySchema = {
  type: 'object',
  properties: {
    identityCode: { type: 'string', minLength: 11, maxLength: 11, description: 'The resident\'s own identity code, proven by the resident e-service. Hashed at once; never stored or logged.' },
    from: windowQuerySchema.properties.from,
    to: windowQuerySchema.properties.to,
  },
  required: ['identityCode'],
  additionalProperties: false,
} as const;
