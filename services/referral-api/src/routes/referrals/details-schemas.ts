const name = { type: 'string' };
const child = {
  type: 'object',
  description: 'Category identity.',
  properties: { identityCode: { type: 'string' }, firstName: name, lastName: name, birthDate: { type: 'string' } },
};
const guardian = {
  type: 'object',
  properties: { firstName: name, lastName: name, phone: { type: 'string' }, email: { type: 'string' }, relationship: { type: 'string' } },
};
const contact = {
  type: 'object',
  description: 'Category contact.',
  properties: { phone: { type: 'string' }, email: { type: 'string' }, preferredChannel: { type: 'string' } },
};

export const detailsAnswerSchema = {
  type: 'object',
  properties: {
    referralId: { type: 'string', format: 'uuid' },
    disclosureId: { type: 'string', format: 'uuid', description: 'This release in the disclosure log.' },
    dataCategories: { type: 'array', items: { type: 'string' }, description: 'The categories released; only their details are in `details`.' },
    basis: {
      type: 'object',
      description: '`consent` (consentIds), `statute` (statute, by its label, e.g. `LSL 25 §`), or `self-referral` (a resident\'s own referral without an identity code).',
      properties: {
        kind: { type: 'string', enum: ['consent', 'statute', 'self-referral'] },
        consentIds: { type: 'array', items: { type: 'string' } },
        statute: { type: 'string' },
        referralId: { type: 'string' },
      },
      required: ['kind'],
    },
    details: {
      type: 'object',
      description: 'Personal data: only the released categories. identity → child, contact → contact, guardians → guardians, need-description → description; needCodes and urgency are routing codes, always given.',
      properties: {
        child,
        contact,
        guardians: { type: 'array', items: guardian },
        description: { type: 'string' },
        needCodes: { type: 'array', items: { type: 'string' } },
        urgency: { type: 'string' },
      },
    },
  },
  required: ['referralId', 'disclosureId', 'dataCategories', 'basis', 'details'],
} as const;
