import { describe, expect, it } from 'vitest';
import { parseTraceparent, withTrace } from '@polku/telemetry';
import { ConsentMissingError, DetailsNotReadyError, RejectedDeliveryError, RetryableDeliveryError } from './errors';
import { fetchReferralDetails, organisationKeys } from './referral-details';

const answering = (status: number, body: unknown, seen: Request[] = []): typeof fetch =>
  (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
const options = { baseUrl: 'http://api.test/', referralId: 'r-1', apiKey: 'k-1', user: 'education.school' };
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('fetchReferralDetails', () => {
  it("asks with the organisation's key and the user, and returns only what was released", async () => {
    const seen: Request[] = [];
    const released = await fetchReferralDetails({ ...options, fetch: answering(200, { referralId: 'r-1', dataCategories: ['contact'], details: { contact: { phone: 'x' } } }, seen) });
    expect(released).toEqual({ dataCategories: ['contact'], details: { contact: { phone: 'x' } } });
    expect(seen[0]?.url).toBe('http://api.test/v1/referrals/r-1/details');
    expect(seen[0]?.headers.get('x-api-key')).toBe('k-1');
    expect(seen[0]?.headers.get('x-polku-user')).toBe('education.school');
  });

  it('asks in the trace of the delivery (traceparent: same trace, a span of its own)', async () => {
    const seen: Request[] = [];
    await withTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', () => fetchReferralDetails({ ...options, fetch: answering(200, { dataCategories: [], details: {} }, seen) }));
    expect(parseTraceparent(seen[0]?.headers.get('traceparent') ?? undefined)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('makes 403 a consent refusal, not retried, with the reason code', async () => {
    const error = await failure(fetchReferralDetails({ ...options, fetch: answering(403, { code: 'FORBIDDEN', reason: 'withdrawn' }) }));
    expect(error).toBeInstanceOf(ConsentMissingError);
    expect(error).toMatchObject({ code: 'CONSENT_MISSING', retryable: false, reason: 'withdrawn' });
  });

  it.each([404, 409])('makes %i (the referral API a moment behind the routing) "not ready", not a failed attempt', async (status) => {
    const error = await failure(fetchReferralDetails({ ...options, fetch: answering(status, { code: 'REFERRAL_NOT_ROUTED_YET' }) }));
    expect(error).toBeInstanceOf(DetailsNotReadyError);
    expect(error).toMatchObject({ code: 'DETAILS_NOT_READY', retryable: true, httpStatus: status });
  });

  it.each([429, 500, 503])('makes %i retryable', async (status) => {
    expect(await failure(fetchReferralDetails({ ...options, fetch: answering(status, {}) }))).toBeInstanceOf(RetryableDeliveryError);
  });

  it('makes a wrong key (401) a rejection', async () => {
    expect(await failure(fetchReferralDetails({ ...options, fetch: answering(401, {}) }))).toBeInstanceOf(RejectedDeliveryError);
  });
});

describe('organisationKeys', () => {
  it('reads organisationId=apiKey pairs, keys may hold "="', () => {
    expect(organisationKeys('X_KEYS', ['a=k1', 'b=k2=='], ['a', 'b'])).toEqual(new Map([['a', 'k1'], ['b', 'k2==']]));
  });

  it('names every served organisation without a key, and malformed entries, at once', () => {
    expect(() => organisationKeys('X_KEYS', ['a=k1', 'oops'], ['a', 'b', 'c'])).toThrow(/X_KEYS .*not organisationId=apiKey.*no key for b, c/);
  });
});
