// STAND-IN: the stub school system calling Polku back, signed. Not a real school system.
import { signatureHeaders } from '@polku/adapter-kit';
import { callbackBody, type ActRequest } from './callback-body';
import type { StubDelivery } from './ledger';

export interface CallbackResult {
  callbackId: string;
  /** Polku's answer: 202 when taken. */
  status: number;
  answer: string;
}

export async function sendCallback(secret: Buffer, delivery: StubDelivery, act: ActRequest): Promise<CallbackResult> {
  const body = callbackBody(delivery, act);
  const raw = JSON.stringify(body);
  const response = await fetch(delivery.callbackUrl, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', ...signatureHeaders(secret, raw) },
    signal: AbortSignal.timeout(10_000),
  });
  return { callbackId: body.callbackId, status: response.status, answer: await response.text() };
}
