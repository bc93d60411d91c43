import { fetchReferralDetails, postSigned, RejectedDeliveryError, type Delivery, type DeliveryReceipt, type ReferralDetails } from '@polku/adapter-kit';
import type { SchoolConfig } from './config';
import { toSchoolReferral } from './from-event';
import type { SchoolReceipt, SchoolReferral } from './school-api';

/** Opaque references Polku passes on (the contracts' opaqueRef); anything else is dropped. */
const OPAQUE_REF = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * One delivery: the released details by claim check (with the served organisation's own
 * key), then the signed POST. A refusal of the details (403) sends nothing.
 */
export async function deliverToSchool(config: SchoolConfig, delivery: Delivery, signal: AbortSignal): Promise<DeliveryReceipt> {
  const released = await fetchDetails(config, delivery, signal);
  return postReferral(config, toSchoolReferral(delivery, released), signal);
}

/** `GET {referral API}/v1/referrals/:id/details` as the recipient organisation. */
export async function fetchDetails(config: SchoolConfig, delivery: Delivery, signal: AbortSignal): Promise<ReferralDetails> {
  const apiKey = config.keys.get(delivery.recipient.organisationId);
  // configure() requires a key per served organisation, so this is a served party the config lost.
  if (!apiKey) throw new RejectedDeliveryError(401, `no referral-API key for ${delivery.recipient.organisationId}`);
  return fetchReferralDetails({ baseUrl: config.referralApiUrl, referralId: delivery.referralId, apiKey, user: config.id, deliveryId: delivery.deliveryId, timeoutMs: config.timeoutMs, signal });
}

/**
 * `POST {baseUrl}/referrals`, signed, keyed by the delivery id. Errors come from
 * postSigned: retryable (timeouts, 5xx, 429) or rejected.
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
  return { ...(typeof externalRef === 'string' && OPAQUE_REF.test(externalRef) ? { externalRef } : {}), httpStatus: answer.status };
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
