import { disclosuresAnswerSchema } from '../subjects/disclosure-schemas';

const party = { type: 'object', properties: { organisationId: { type: 'string' }, serviceId: { type: 'string' }, sector: { type: 'string' } } };

const referral = {
  type: 'object',
  properties: {
    referralId: { type: 'string', format: 'uuid' },
    state: { type: 'string' },
    submittedAt: { type: 'string', format: 'date-time' },
    needCodes: { type: 'array', items: { type: 'string' } },
    lead: party,
    timeline: {
      type: 'array',
      items: { type: 'object', properties: { type: { type: 'string' }, at: { type: 'string' }, lead: party, recipient: party, reasonCode: { type: 'string' } } },
    },
  },
  required: ['referralId', 'state', 'timeline'],
};

export const accessExportSchema = {
  type: 'object',
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    subjectRef: { type: 'string', description: 'The person\'s pseudonymous subject reference in Polku.' },
    referrals: { type: 'array', items: referral, description: 'Referrals whose subject is the person, with their statuses, oldest first.' },
    consents: {
      type: 'object',
      description: 'The person\'s consents and bans as the consent service holds them (every state); `available: false` with a code when it did not answer.',
      properties: { available: { type: 'boolean' }, code: { type: 'string' }, consents: { type: 'array', items: { type: 'object', additionalProperties: true } } },
      required: ['available'],
    },
    disclosures: {
      type: 'object',
      description: 'Who received (or was refused) the person\'s data in the last two years, oldest first.',
      properties: { from: { type: 'string' }, to: { type: 'string' }, entries: disclosuresAnswerSchema.properties.disclosures },
      required: ['from', 'to', 'entries'],
    },
  },
  required: ['generatedAt', 'referrals', 'consents', 'disclosures'],
} as const;
