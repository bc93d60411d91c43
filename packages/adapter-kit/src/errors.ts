import { describeAnswer, PolkuError, redactAnswer, type RedactedAnswer } from '@polku/service-kit';

/** Longest part of an external system's answer looked at when it is redacted (see RejectedDeliveryError). */
export const MAX_ANSWER_BYTES = 2048;

/**
 * The system may take the delivery later: a timeout, a network error, a 5xx or a 429.
 * The host retries with backoff, waiting `retryAfterMs` when the system said how long.
 */
export class RetryableDeliveryError extends PolkuError {
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { httpStatus?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super('DELIVERY_RETRYABLE', message, { retryable: true, cause: options.cause });
    this.httpStatus = options.httpStatus;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The system refused the delivery (a 4xx other than 429): sending it again cannot help.
 * The host gives up at once and dead-letters it. The answer may name a person, so only its
 * status, problem code and type and a short redacted excerpt are kept (`redactAnswer`): that is
 * all that reaches the message, the dead letter and every log line.
 */
export class RejectedDeliveryError extends PolkuError {
  readonly httpStatus: number;
  /** What may be kept of the system's answer. */
  readonly answer: RedactedAnswer;

  constructor(httpStatus: number, answer: string) {
    const kept = redactAnswer(httpStatus, truncateUtf8(answer, MAX_ANSWER_BYTES));
    super('DELIVERY_REJECTED', `the system answered ${describeAnswer(kept)}`, { retryable: false });
    this.httpStatus = httpStatus;
    this.answer = kept;
  }
}

/**
 * The referral API does not know the referral's routing yet (`409 REFERRAL_NOT_ROUTED_YET`, or
 * `404` before it has seen `submitted`): its status projection is a moment behind the routed event
 * the host is delivering. Nothing went to the external system, so this is not a delivery attempt:
 * the host waits and tries again without counting it (up to a bound, past which it counts).
 */
export class DetailsNotReadyError extends PolkuError {
  readonly httpStatus: number;
  readonly retryAfterMs: number | undefined;

  constructor(httpStatus: number, options: { retryAfterMs?: number } = {}) {
    super('DETAILS_NOT_READY', `the referral API does not know the referral's routing yet (HTTP ${httpStatus})`, { retryable: true });
    this.httpStatus = httpStatus;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A callback without a valid, fresh signature. Answered 401; the body is not looked at. */
export class CallbackSignatureInvalid extends PolkuError {
  constructor(reason: string) {
    super('CALLBACK_SIGNATURE_INVALID', reason, { status: 401 });
  }
}

export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Decoding a cut multi-byte character gives U+FFFD; drop it rather than keep half a letter.
  return bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}

/**
 * Disclosure to the recipient is not (or no longer) allowed: no consent, a ban, a withdrawn
 * or expired consent, or the referral API refused the details (403). Nothing is sent; the
 * host reports `delivery.failed` with this code and does not retry. A new `referral.routed`
 * after a consent is granted delivers it afresh.
 */
export class ConsentMissingError extends PolkuError {
  /** The refusal reason when known (`no-consent`, `banned`, `withdrawn`, `expired`, `not-covered`); a code, never personal data. */
  readonly reason: string | undefined;

  constructor(message: string, options: { reason?: string } = {}) {
    super('CONSENT_MISSING', message, { status: 403, retryable: false });
    this.reason = options.reason;
  }
}
