import type { DataCategory } from '@polku/contracts';
import { PolkuError, settings } from '@polku/service-kit';
import { inSpan } from '@polku/telemetry';
import { ConsentMissingError, DetailsNotReadyError, RejectedDeliveryError, RetryableDeliveryError } from './errors';
import { parseRetryAfter } from './retry-after';

/**
 * Where adapters fetch a referral's personal details (claim check). Every adapter spreads
 * this into its own settings; the host merges them into one setting.
 */
export const referralApiSettings = {
  /** Base URL of the referral API. @defaultValue http://127.0.0.1:8080 */
  POLKU_REFERRAL_API_URL: settings.url('http://127.0.0.1:8080'),
};

/** What `GET /v1/referrals/:id/details` answers: only the categories released to the caller. */
export interface ReferralDetails {
  /** The categories released, by consent or statute. */
  dataCategories: DataCategory[];
  /** The released details, by category. Personal data: never log it. */
  details: Record<string, unknown>;
}

export interface FetchReferralDetailsOptions {
  /** The referral API's base URL (`POLKU_REFERRAL_API_URL`). */
  baseUrl: string;
  referralId: string;
  /** The recipient organisation's own key (role `recipient`). */
  apiKey: string;
  /** `X-Polku-User`: who fetches, for the disclosure log; an adapter passes its id. */
  user: string;
  /** `X-Polku-Delivery`: the delivery fetched for, so a retried delivery's release is logged once. */
  deliveryId?: string;
  /** @defaultValue 10000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** @defaultValue globalThis.fetch; tests pass their own. */
  fetch?: typeof fetch;
}

/**
 * Fetches the details a recipient may see. 200 → the released details; 403 → ConsentMissingError
 * (not retried: nothing may be sent); 404 or 409 (the referral API has not seen the referral or its
 * routing yet) → DetailsNotReadyError (retried without counting an attempt); 429, 5xx, timeout or
 * a network error → RetryableDeliveryError; any other answer (401: a wrong key) → RejectedDeliveryError.
 */
export async function fetchReferralDetails(options: FetchReferralDetailsOptions): Promise<ReferralDetails> {
  const span = { name: 'GET /v1/referrals/:id/details', kind: 'client' as const, attributes: { 'http.request.method': 'GET', 'server.address': new URL(options.baseUrl).host } };
  return inSpan(span, undefined, (active) => fetchDetails(options, active.traceparent));
}

async function fetchDetails(options: FetchReferralDetailsOptions, traceparent: string): Promise<ReferralDetails> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const url = new URL(`v1/referrals/${encodeURIComponent(options.referralId)}/details`, withSlash(options.baseUrl));
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'GET',
      signal,
      redirect: 'manual',
      headers: { accept: 'application/json', traceparent, 'x-api-key': options.apiKey, 'x-polku-user': options.user, ...(options.deliveryId ? { 'x-polku-delivery': options.deliveryId } : {}) },
    });
  } catch (error) {
    throw new RetryableDeliveryError(timeout.aborted ? `the referral API gave no details within ${timeoutMs} ms` : 'the details request failed', { cause: error });
  }
  const text = await response.text().catch(() => '');
  const status = response.status;
  if (status === 200) return detailsOf(text);
  if (status === 403) throw new ConsentMissingError(`the referral API refused the details of referral ${options.referralId} (HTTP 403)`, { reason: reasonOf(text) });
  if (status === 404 || status === 409) throw new DetailsNotReadyError(status, { retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  if (status === 429 || status >= 500) {
    throw new RetryableDeliveryError(`the referral API answered HTTP ${status} to the details request`, { httpStatus: status, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) });
  }
  // The answer may echo the request, never details: details only come with a 200.
  throw new RejectedDeliveryError(status, text);
}

function detailsOf(text: string): ReferralDetails {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new RetryableDeliveryError('the referral API answered details that are not JSON', { httpStatus: 200, cause });
  }
  const { dataCategories, details } = (body ?? {}) as Partial<ReferralDetails>;
  if (!Array.isArray(dataCategories) || typeof details !== 'object' || details === null) {
    throw new RetryableDeliveryError('the referral API answered details without dataCategories and details', { httpStatus: 200 });
  }
  return { dataCategories: [...dataCategories], details };
}

/** The problem's `reason` (a refusal code) when it gives one. */
function reasonOf(text: string): string | undefined {
  try {
    const reason = (JSON.parse(text) as { reason?: unknown }).reason;
    return typeof reason === 'string' && /^[a-z-]{1,32}$/.test(reason) ? reason : undefined;
  } catch {
    return undefined;
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * `organisationId=apiKey` pairs (a `settings.list()` value) → the key of each served
 * organisation. Every organisation served must have one; all problems are reported together.
 * @throws PolkuError CONFIG_INVALID naming the setting and every missing or malformed entry
 */
export function organisationKeys(setting: string, pairs: readonly string[], served: Iterable<string>): ReadonlyMap<string, string> {
  const keys = new Map<string, string>();
  const problems: string[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const organisationId = pair.slice(0, at).trim();
    const key = pair.slice(at + 1).trim();
    if (at <= 0 || key === '') problems.push(`an entry is not organisationId=apiKey (organisation '${organisationId || '?'}')`);
    else keys.set(organisationId, key);
  }
  const missing = [...served].filter((organisationId) => !keys.has(organisationId));
  if (missing.length > 0) problems.push(`has no key for ${missing.join(', ')}`);
  if (problems.length > 0) throw new PolkuError('CONFIG_INVALID', `invalid configuration: ${setting} ${problems.join('; ')}`);
  return keys;
}

/** The referral API's `details` fields → the data category each carries (routing codes such as needCodes carry none). */
const FIELD_CATEGORIES: Readonly<Record<string, DataCategory>> = { child: 'identity', contact: 'contact', guardians: 'guardians', description: 'need-description' };

/** The categories a `details` object carries, by its field names: what a stand-in may report instead of the values. */
export function detailCategories(details: Readonly<Record<string, unknown>>): DataCategory[] {
  return Object.keys(details).flatMap((field) => (FIELD_CATEGORIES[field] ? [FIELD_CATEGORIES[field]] : [])).sort();
}
