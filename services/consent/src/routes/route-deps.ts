import type { Catalogue } from '@polku/catalogue';
import type { ConsentRecord } from '@polku/consent-policy';
import type { Database } from '@polku/db';
import type { DisclosureLog } from '@polku/disclosure-log';
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
  /** Lookups of a subject's consents are written here (writer `consent`). */
  disclosureLog: DisclosureLog;
  /** The consent records and the referral-routes projection. */
  db: Database;
  /**
   * Whether the referral-routes projection runs in this process: without it no professional
   * may look up consents (the rule cannot be checked, so it refuses).
   * @defaultValue false
   */
  referralRoutes?: boolean;
}

/** Professionals who record consents (and read them). */
export const RECORDERS: CallerRole[] = ['submitter', 'recipient'];
/** Roles that may ask for a subject's consents at all; `lookupGrant` then decides per subject. */
export const READERS: CallerRole[] = ['submitter', 'recipient', 'resident'];

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
