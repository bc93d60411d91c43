// STAND-IN: the callback the stub school system sends to Polku. Not a real school system.
import { randomUUID } from 'node:crypto';
import type { SchoolCallback } from '../src/school-api';

export interface ActRequest {
  action: SchoolCallback['action'];
  reasonCode?: string;
  channel?: SchoolCallback['channel'];
}

/** Codes used when the caller of the admin API gives none: a plausible happy path. */
const DEFAULT_REASON: Partial<Record<SchoolCallback['action'], string>> = { decline: 'no-capacity', close: 'helped' };

export function callbackBody(delivery: { referralId: string; idempotencyKey: string; externalRef?: string }, act: ActRequest): SchoolCallback {
  const body: SchoolCallback = {
    callbackId: randomUUID(),
    referralId: delivery.referralId,
    deliveryId: delivery.idempotencyKey,
    action: act.action,
    occurredAt: new Date().toISOString(),
  };
  const reasonCode = act.reasonCode ?? DEFAULT_REASON[act.action];
  if (reasonCode && (act.action === 'decline' || act.action === 'close')) body.reasonCode = reasonCode;
  if (act.action === 'first-contact') body.channel = act.channel ?? 'meeting';
  if (delivery.externalRef) body.externalRef = delivery.externalRef;
  return body;
}
