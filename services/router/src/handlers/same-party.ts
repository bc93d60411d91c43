import type { Party } from '@polku/contracts';

/** Whether an event's `by` names the service that holds the referral (a party may omit the service). */
export function isSameParty(holder: Party, by: Party): boolean {
  if (holder.organisationId !== by.organisationId) return false;
  return holder.serviceId === undefined || by.serviceId === undefined || holder.serviceId === by.serviceId;
}
