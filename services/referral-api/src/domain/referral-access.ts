import type { Party } from '@polku/contracts';
import type { Caller } from '@polku/service-kit';
import type { StatusRecord } from './status-record';

/**
 * Who may read what of a referral (principle 8: access per service, not per organisation).
 *
 * - A recipient reads status and details only through a key that acts for a catalogue service
 *   (`Caller.services`) the referral was routed to: the lead or a co-worker of any `routed` event
 *   (a coordinator's route after a hand-over is a `routed` event too), or the service it was
 *   forwarded or delivered to. A party that names no service opens nothing.
 * - A submitter (role `submitter`) reads the status of what its organisation submitted, never the
 *   details through this route: it holds them already, and `referral.submitted.v1` names no system,
 *   so the submitting organisation is the finest grain the status record knows.
 * - An operator reads every status and never details, whatever other role its key also has.
 * - Every other key (auditor, resident e-service, backbone) reads neither here.
 */
export type AccessDenial = 'FORBIDDEN' | 'NOT_A_RECIPIENT' | 'NOT_FOR_YOUR_SERVICE' | 'DETAILS_NOT_FOR_OPERATORS';

export type Access =
  | { allowed: true; as: 'operator' | 'submitter' | 'recipient'; parties: Party[] }
  | { allowed: false; code: AccessDenial; reason: string };

/** Every service the referral was routed, handed over or delivered to, once each, lead first. */
export function routedServices(record: StatusRecord): Party[] {
  const parties: Party[] = [];
  const add = (party: Party | undefined) => {
    if (party?.serviceId === undefined) return;
    if (!parties.some((p) => p.serviceId === party.serviceId && p.organisationId === party.organisationId)) parties.push(party);
  };
  add(record.lead);
  for (const entry of [...record.timeline].reverse()) {
    if (entry.type === 'routed') [entry.lead, ...(entry.coWorkers ?? [])].forEach(add);
    if (entry.type === 'forwarded') add(entry.to);
    if (entry.type === 'delivered') add(entry.recipient);
  }
  return parties;
}

/** The routed services the caller's key acts for: its organisation's, and named in its key. */
export function servicesActedFor(record: StatusRecord, caller: Caller): Party[] {
  return routedServices(record).filter((p) => p.organisationId === caller.organisationId && caller.services.includes(p.serviceId!));
}

/** May the caller read the referral's status (timeline, no personal details)? */
export function statusAccess(record: StatusRecord, caller: Caller): Access {
  if (caller.roles.includes('operator')) return { allowed: true, as: 'operator', parties: [] };
  const recipient = caller.roles.includes('recipient') ? asRecipient(record, caller) : undefined;
  if (recipient?.allowed) return recipient;
  if (caller.roles.includes('submitter') && record.submitterOrganisationId === caller.organisationId) {
    return { allowed: true, as: 'submitter', parties: [] };
  }
  if (recipient) return recipient;
  if (caller.roles.includes('submitter')) return notARecipient(record, caller);
  return { allowed: false, code: 'FORBIDDEN', reason: 'The status of a referral is for its submitter, its recipients and operators' };
}

/** May the caller have the referral's details (the claim check then asks the consent service)? */
export function detailsAccess(record: StatusRecord, caller: Caller): Access {
  return detailsRoleDenial(caller) ?? asRecipient(record, caller);
}

/**
 * The part of `detailsAccess` that needs no referral: answered before the referral is looked up,
 * so an operator or a key without the recipient role learns nothing, not even whether it exists.
 */
export function detailsRoleDenial(caller: Caller): Extract<Access, { allowed: false }> | undefined {
  if (caller.roles.includes('operator')) {
    return { allowed: false, code: 'DETAILS_NOT_FOR_OPERATORS', reason: 'An operator key sees the status of a referral, never its personal details' };
  }
  if (!caller.roles.includes('recipient')) {
    return { allowed: false, code: 'FORBIDDEN', reason: 'The details of a referral are for its recipients (role recipient)' };
  }
  return undefined;
}

function asRecipient(record: StatusRecord, caller: Caller): Access {
  const parties = servicesActedFor(record, caller);
  if (parties.length > 0) return { allowed: true, as: 'recipient', parties };
  return notARecipient(record, caller);
}

/**
 * NOT_FOR_YOUR_SERVICE when the caller's organisation is a recipient through a service this key
 * does not act for (a sibling service of the same wellbeing area); NOT_A_RECIPIENT otherwise.
 */
function notARecipient(record: StatusRecord, caller: Caller): Access {
  const organisationIsRecipient =
    record.readers.includes(caller.organisationId) || routedServices(record).some((p) => p.organisationId === caller.organisationId);
  return organisationIsRecipient
    ? { allowed: false, code: 'NOT_FOR_YOUR_SERVICE', reason: `Referral ${record.referralId} was routed to none of the services this key of ${caller.organisationId} acts for` }
    : { allowed: false, code: 'NOT_A_RECIPIENT', reason: `${caller.organisationId} is not a recipient of referral ${record.referralId}` };
}
