import type { Catalogue } from '@polku/catalogue';
import type { ConsentRecord } from '@polku/consent-policy';
import type { Caller, CallerRole } from '@polku/service-kit';
import type { Ledger } from '../ledger';
import type { ConsentStore } from '../projection/consent-store';

/** What the routes share. */
export interface RouteDeps {
  ledger: Ledger;
  store: ConsentStore;
  catalogue: Catalogue;
  /** The pseudonym key: the same as the referral API's, so subject refs match. */
  pseudonymKey: Buffer;
  /** Kantara `policyUrl` of every receipt. */
  policyUrl: string;
  /** Base of the `Location` of a new consent. */
  publicUrl: string;
  now: () => Date;
}

/** Professionals who record consents (and read them). */
export const RECORDERS: CallerRole[] = ['submitter', 'recipient'];
/** Everyone who may list a subject's consents. */
export const READERS: CallerRole[] = ['submitter', 'recipient', 'operator', 'auditor', 'resident', 'backbone'];

/**
 * A resident's portal sees every consent but not the recording professional's reference:
 * it is an internal directory id, meaningless to the resident, and the organisation is shown.
 */
export function viewFor(caller: Caller, record: ConsentRecord): ConsentRecord {
  const professional = RECORDERS.concat('operator', 'auditor').some((role) => caller.roles.includes(role));
  if (professional) return record;
  const { professionalRef: _hidden, ...recordedBy } = record.recordedBy;
  return { ...record, recordedBy: recordedBy as ConsentRecord['recordedBy'] };
}
