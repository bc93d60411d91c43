import type { ConsentRecipient } from '@polku/contracts';
import type { ConsentRecord, DisclosureRecipient } from './types';

/**
 * A consent recipient covers the request's recipient when it names the sector, or the
 * organisation (then every service of it), or the organisation's very service.
 */
export function recipientCovers(named: ConsentRecipient, recipient: DisclosureRecipient): boolean {
  if (!('organisationId' in named)) return named.sector === recipient.sector;
  if (named.organisationId !== recipient.organisationId) return false;
  return named.serviceId === undefined || named.serviceId === recipient.serviceId;
}

export function coversRecipient(record: ConsentRecord, recipient: DisclosureRecipient): boolean {
  return record.recipients.some((named) => recipientCovers(named, recipient));
}

/** Active = not withdrawn or expired, and `at` within [validFrom, validUntil). */
export function isActiveAt(record: ConsentRecord, at: Date): boolean {
  if (record.status !== 'active') return false;
  const t = at.getTime();
  if (t < Date.parse(record.validFrom)) return false;
  return record.validUntil === undefined || t < Date.parse(record.validUntil);
}

/** Past its validUntil, whether or not the expiry event has been recorded yet. */
export function hasLapsed(record: ConsentRecord, at: Date): boolean {
  return record.status === 'expired' || (record.validUntil !== undefined && at.getTime() >= Date.parse(record.validUntil));
}

/**
 * A minor judged able to understand the matter decides personally (703/2023): while such a
 * record of the minor's own is active, only the minor's own records count.
 */
export function minorDecidesPersonally(records: readonly ConsentRecord[], at: Date): boolean {
  return records.some((r) => r.grantor.role === 'self' && r.minorDecidesPersonally && isActiveAt(r, at));
}
