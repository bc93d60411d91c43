import { postSigned, type DeliveryReceipt } from '@polku/adapter-kit';
import type { SchoolConfig } from './config';
import type { SchoolReceipt, SchoolReferral } from './school-api';

/** Opaque references Polku passes on (the contracts' opaqueRef); anything else is dropped. */
const OPAQUE_REF = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The only network I/O of this adapter: `POST {baseUrl}/referrals`, signed, keyed by the
 * delivery id. Errors come from postSigned: retryable (timeouts, 5xx, 429) or rejected.
 */
export async function postReferral(config: SchoolConfig, referral: SchoolReferral, signal: AbortSignal): Promise<DeliveryReceipt> {
  const answer = await postSigned({
    url: new URL('referrals', withSlash(config.baseUrl)).toString(),
    body: JSON.stringify(referral),
    secret: config.secret,
    idempotencyKey: referral.deliveryId,
    timeoutMs: config.timeoutMs,
    signal,
  });
  const externalRef = receiptOf(answer.body).externalRef;
  return typeof externalRef === 'string' && OPAQUE_REF.test(externalRef) ? { externalRef } : {};
}

function receiptOf(body: string): SchoolReceipt {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as SchoolReceipt) : {};
  } catch {
    // A 2xx with an unreadable body still means the school has the referral.
    return {};
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
