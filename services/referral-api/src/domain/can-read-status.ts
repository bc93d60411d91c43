import type { Caller } from '@polku/service-kit';
import type { StatusRecord } from './status-record';

/** The submitting organisation, the organisations it was routed to, and operators. */
export function canReadStatus(record: StatusRecord, caller: Caller): boolean {
  return (
    caller.roles.includes('operator') ||
    record.submitterOrganisationId === caller.organisationId ||
    record.readers.includes(caller.organisationId)
  );
}
