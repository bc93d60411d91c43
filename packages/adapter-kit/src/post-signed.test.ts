import { describe, expect, it } from 'vitest';
import { parseTraceparent, withTrace } from '@polku/telemetry';
import { RejectedDeliveryError, RetryableDeliveryError } from './errors';
import { postSigned } from './post-signed';
import { verify } from './signing';

type Answer = () => Promise<Response>;

/** A fetch that records the request and answers as told; unit tests never touch the network. */
function fakeFetch(answer: Answer) {
  const requests: Request[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    requests.push(new Request(input, init));
    init?.signal?.throwIfAborted();
    return answer();
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

const base = { url: 'http://school.invalid/referrals', body: '{"a":1}', secret: 's3cret', idempotencyKey: 'd-1' };

async function failure(answer: Answer, timeoutMs?: number): Promise<unknown> {
  return postSigned({ ...base, timeoutMs, fetch: fakeFetch(answer).fetch }).then(() => undefined, (error: unknown) => error);
}

describe('postSigned', () => {
  it('sends the trace of the delivery as traceparent: same trace, a span of its own', async () => {
    const { requests, fetch } = fakeFetch(async () => new Response('{}', { status: 200 }));
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await withTrace(parent, () => postSigned({ ...base, fetch }));
    const sent = parseTraceparent(requests[0]!.headers.get('traceparent') ?? undefined);
    expect(sent?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(sent?.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('sends the body signed, with the idempotency key, and returns a 2xx answer', async () => {
    const { requests, fetch } = fakeFetch(async () => new Response('{"externalRef":"x-1"}', { status: 201 }));
    await expect(postSigned({ ...base, fetch })).resolves.toEqual({ status: 201, body: '{"externalRef":"x-1"}' });
    const request = requests[0]!;
    expect(request.headers.get('idempotency-key')).toBe('d-1');
    const headers = Object.fromEntries(request.headers);
    expect(() => verify({ secret: 's3cret', body: base.body, headers })).not.toThrow();
  });

  it.each([500, 502, 503])('makes %i retryable', async (status) => {
    await expect(failure(async () => new Response('', { status }))).resolves.toMatchObject({ code: 'DELIVERY_RETRYABLE', httpStatus: status });
  });

  it('makes 429 retryable and honours Retry-After', async () => {
    const error = await failure(async () => new Response('', { status: 429, headers: { 'retry-after': '7' } }));
    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect(error).toMatchObject({ httpStatus: 429, retryAfterMs: 7000 });
  });

  it('makes a timeout retryable', async () => {
    const slow: Answer = () => new Promise((resolve) => setTimeout(() => resolve(new Response('')), 200));
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      await new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      return slow();
    };
    const error = await postSigned({ ...base, timeoutMs: 20, fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableDeliveryError);
    expect((error as Error).message).toMatch(/no answer within 20 ms/);
  });

  it('makes a network error retryable', async () => {
    await expect(failure(async () => { throw new TypeError('fetch failed'); })).resolves.toBeInstanceOf(RetryableDeliveryError);
  });

  it.each([400, 404, 409, 422])('makes %i a rejection carrying the answer', async (status) => {
    const error = await failure(async () => new Response('{"error":"unknown service"}', { status }));
    expect(error).toBeInstanceOf(RejectedDeliveryError);
    expect(error).toMatchObject({ code: 'DELIVERY_REJECTED', httpStatus: status, answer: { status, excerpt: '{"error":"unknown service"}' }, retryable: false });
  });

  it('keeps of an answer naming a person only its status, code and a redacted excerpt', async () => {
    const body = JSON.stringify({ code: 'E_NOT_ENROLLED', error: 'pupil not enrolled', pupil: { name: 'Aino Testinen', hetu: '010203A912E' } });
    const error = (await failure(async () => new Response(body, { status: 422 }))) as RejectedDeliveryError;
    expect(error.answer).toMatchObject({ status: 422, code: 'E_NOT_ENROLLED' });
    expect(JSON.stringify(error.answer)).not.toMatch(/Aino|Testinen|010203A912E/);
    expect(error.message).not.toMatch(/Aino|Testinen|010203A912E/);
    expect(error.message).toContain('HTTP 422 (code E_NOT_ENROLLED)');
  });

  it('keeps a short excerpt of a long answer', async () => {
    const error = (await failure(async () => new Response('ä'.repeat(5000), { status: 422 }))) as RejectedDeliveryError;
    expect(error.answer.excerpt!.length).toBeLessThanOrEqual(120);
  });
});
