import { createHmac } from 'node:crypto';

/**
 * The pseudonymous reference of a person who grants, withdraws or looks (`pr_` + 43 base64url
 * characters): a keyed hash of the identity code under the pseudonym key, in a domain of its own
 * so it never equals the same person's subject reference. Compared, never reversed: it lets the
 * ledger recognise the grantor again without holding their identity code.
 */
export function personRefOf(normalisedIdentityCode: string, pseudonymKey: Buffer): string {
  return `pr_${createHmac('sha256', pseudonymKey).update(`person:${normalisedIdentityCode}`).digest('base64url')}`;
}
