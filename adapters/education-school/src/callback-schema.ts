import { CLOSE_CODES, CONTACT_CHANNELS, DECLINE_CODES, SCHOOL_ACTIONS } from './school-api';

const opaque = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' };
const uuid = { type: 'string', format: 'uuid' };
const timestamp = { type: 'string', format: 'date-time' };

const requires = (action: string, then: Record<string, unknown>) => ({ if: { properties: { action: { const: action } } }, then });

/** JSON Schema of the school's callback body; the host validates it before mapping. */
export const schoolCallbackSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['callbackId', 'referralId', 'action', 'occurredAt'],
  properties: {
    callbackId: opaque,
    referralId: uuid,
    deliveryId: uuid,
    action: { enum: [...SCHOOL_ACTIONS] },
    reasonCode: { type: 'string', maxLength: 64 },
    channel: { enum: [...CONTACT_CHANNELS] },
    contactDueBy: timestamp,
    occurredAt: timestamp,
    externalRef: opaque,
  },
  allOf: [
    requires('decline', { required: ['reasonCode'], properties: { reasonCode: { enum: [...DECLINE_CODES] } } }),
    requires('close', { required: ['reasonCode'], properties: { reasonCode: { enum: [...CLOSE_CODES] } } }),
    requires('first-contact', { required: ['channel'] }),
  ],
} as const;
