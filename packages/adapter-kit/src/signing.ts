import { createHmac, timingSafeEqual } from 'node:crypto';
import { CallbackSignatureInvalid } from './errors';

/** Headers of a signed request, both ways: Polku → system and system → Polku. */
export const SIGNATURE_HEADERS = {
  /** Unix seconds when the request was signed. */
  timestamp: 'x-polku-timestamp',
  /** `v1=<hex HMAC-SHA256 over "<timestamp>.<body>">`. */
  signature: 'x-polku-signature',
  /** The delivery id: the receiving system stores it and ignores a second request with it. */
  idempotencyKey: 'idempotency-key',
} as const;

/** @defaultValue 300 seconds either way, so a captured request cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 over `${timestamp}.${body}`; the timestamp in the MAC stops replays with a new date. */
export function sign(secret: string | Buffer, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeaders(secret: string | Buffer, body: string, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { [SIGNATURE_HEADERS.timestamp]: String(timestamp), [SIGNATURE_HEADERS.signature]: `v1=${sign(secret, timestamp, body)}` };
}

export interface VerifyOptions {
  secret: string | Buffer;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** @defaultValue now */
  now?: Date;
  /** @defaultValue {@link DEFAULT_TOLERANCE_SECONDS} */
  toleranceSeconds?: number;
}

/** @throws CallbackSignatureInvalid when the signature is missing, wrong or outside the tolerance. */
export function verify(options: VerifyOptions): void {
  const timestamp = Number(single(options.headers[SIGNATURE_HEADERS.timestamp]));
  const presented = /^v1=([0-9a-f]{64})$/.exec(single(options.headers[SIGNATURE_HEADERS.signature]) ?? '')?.[1];
  if (!Number.isInteger(timestamp) || !presented) throw new CallbackSignatureInvalid('the request is not signed');
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    throw new CallbackSignatureInvalid('the signature timestamp is outside the tolerance');
  }
  const expected = Buffer.from(sign(options.secret, timestamp, options.body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(presented, 'hex'))) throw new CallbackSignatureInvalid('the signature does not match');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
