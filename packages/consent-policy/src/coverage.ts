import type { ConsentRecipient, Party } from '@polku/contracts';
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

/**
 * A permission's disclosers cover the party that would disclose: the same organisation, and
 * the same service when both the permission and the discloser name one. Without a discloser nothing is narrowed.
 */
export function coversDiscloser(record: ConsentRecord, discloser: Party | undefined): boolean {
  if (discloser === undefined) return true;
  // A discloser known only by its organisation (a referral names its submitting organisation, not
  // a service) is matched by organisation: the permission's service narrows only a known service.
  return record.disclosers.some((d) => d.organisationId === discloser.organisationId
    && (d.serviceId === undefined || discloser.serviceId === undefined || d.serviceId === discloser.serviceId));
}

/**
 * A guardian's permission recorded as v1, before the consent service capped a guardian's
 * permission at the child's 18th birthday. The ledger cannot know the birthday of such a record
 * (it holds the subject reference only), so it no longer counts: it reads as expired and must be
 * recorded again (v2 records always carry `recordedBy.systemId`).
 */
export function isUncappedGuardianPermission(record: ConsentRecord): boolean {
  return record.kind === 'permission' && record.grantor.role === 'guardian' && record.recordedBy.systemId === undefined;
}

/** Active = not withdrawn or expired, and `at` within [validFrom, validUntil). */
export function isActiveAt(record: ConsentRecord, at: Date): boolean {
  if (record.status !== 'active') return false;
  if (isUncappedGuardianPermission(record)) return false;
  const t = at.getTime();
  if (t < Date.parse(record.validFrom)) return false;
  return record.validUntil === undefined || t < Date.parse(record.validUntil);
}

/** Past its validUntil, whether or not the expiry event has been recorded yet. */
export function hasLapsed(record: ConsentRecord, at: Date): boolean {
  return record.status === 'expired' || isUncappedGuardianPermission(record) || (record.validUntil !== undefined && at.getTime() >= Date.parse(record.validUntil));
}

/**
 * A minor judged able to understand the matter decides personally (703/2023): while such a
 * record of the minor's own is active, only the minor's own records count.
 */
export function minorDecidesPersonally(records: readonly ConsentRecord[], at: Date): boolean {
  return records.some((r) => r.grantor.role === 'self' && r.minorDecidesPersonally && isActiveAt(r, at));
}
