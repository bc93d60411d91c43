import { inSpan } from '@polku/telemetry';
import { RejectedDeliveryError, RetryableDeliveryError } from './errors';
import { parseRetryAfter } from './retry-after';
import { SIGNATURE_HEADERS, signatureHeaders } from './signing';

export interface PostSignedOptions {
  url: string;
  /** The JSON body, already serialised: the signature covers these exact bytes. */
  body: string;
  secret: string | Buffer;
  idempotencyKey: string;
  /** @defaultValue 10000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** @defaultValue globalThis.fetch; tests pass their own. */
  fetch?: typeof fetch;
}

export interface SignedAnswer {
  status: number;
  body: string;
}

/**
 * POSTs a signed JSON body and sorts the answer: 2xx is returned; a timeout, network
 * error, 5xx or 429 throws RetryableDeliveryError; any other status RejectedDeliveryError.
 */
export async function postSigned(options: PostSignedOptions): Promise<SignedAnswer> {
  // A client span of the delivery's trace: the system receives it as `traceparent`.
  const span = { name: 'POST webhook', kind: 'client' as const, attributes: { 'http.request.method': 'POST', 'server.address': new URL(options.url).host } };
  return inSpan(span, undefined, async (active) => {
    const answer = await send(options, active.traceparent);
    active.end({ attributes: { 'http.response.status_code': answer.status } });
    return answer;
  });
}

async function send(options: PostSignedOptions, traceparent: string): Promise<SignedAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: 'POST',
      body: options.body,
      signal,
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADERS.idempotencyKey]: options.idempotencyKey,
        traceparent,
        ...signatureHeaders(options.secret, options.body),
      },
    });
  } catch (error) {
    const reason = timeout.aborted ? `no answer within ${options.timeoutMs ?? 10_000} ms` : 'the request failed';
    throw new RetryableDeliveryError(reason, { cause: error });
  }
  return answerOf(response);
}

async function answerOf(response: Response): Promise<SignedAnswer> {
  const body = await response.text().catch(() => '');
  const status = response.status;
  if (status >= 200 && status < 300) return { status, body };
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new RetryableDeliveryError(`the system answered HTTP ${status}`, { httpStatus: status, retryAfterMs });
  }
  throw new RejectedDeliveryError(status, body);
}
