import type { CallbackAction } from '@polku/adapter-kit';
import { CLOSE_CODES, DECLINE_CODES, type SchoolCallback } from './school-api';

type DeclineCode = (typeof DECLINE_CODES)[number];
type CloseCode = (typeof CLOSE_CODES)[number];

/**
 * The school's callback (schema-valid) → what Polku records. The schema already ties
 * each action to its code; the checks here only narrow the types.
 */
export function toCallbackAction(body: SchoolCallback): CallbackAction {
  const base = {
    callbackId: body.callbackId,
    referralId: body.referralId,
    occurredAt: body.occurredAt,
    ...(body.deliveryId ? { deliveryId: body.deliveryId } : {}),
    ...(body.externalRef ? { externalRef: body.externalRef } : {}),
  };
  switch (body.action) {
    case 'accept':
      return { ...base, action: 'accept', ...(body.contactDueBy ? { contactDueBy: body.contactDueBy } : {}) };
    case 'decline':
      return { ...base, action: 'decline', reasonCode: oneOf(DECLINE_CODES, body.reasonCode, 'other-service-better' satisfies DeclineCode) };
    case 'first-contact':
      return { ...base, action: 'first-contact', channel: body.channel ?? 'message' };
    case 'close':
      return { ...base, action: 'close', reason: oneOf(CLOSE_CODES, body.reasonCode, 'helped' satisfies CloseCode) };
  }
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}
