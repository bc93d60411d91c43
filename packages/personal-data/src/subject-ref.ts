import { createHmac } from 'node:crypto';

/**
 * The pseudonymous subject reference events carry instead of an identity code: a keyed
 * hash (HMAC-SHA256), so it is stable across referrals and consents of the same child,
 * and cannot be reversed or recomputed without the key. `sr_` + 43 base64url characters.
 */
export function subjectRefOf(normalisedIdentityCode: string, pseudonymKey: Buffer): string {
  return `sr_${createHmac('sha256', pseudonymKey).update(`hetu:${normalisedIdentityCode}`).digest('base64url')}`;
}
