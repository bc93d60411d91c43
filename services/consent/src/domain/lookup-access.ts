import type { ConsentRecord } from '@polku/consent-policy';
import type { DisclosureConsentsViewedV1 } from '@polku/contracts';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { Forbidden, type Caller } from '@polku/service-kit';
import type { ReferralRoutes } from '../projection/referral-routes';
import { personRefOf } from './person-ref';

/** Who may see a subject's consents, on what ground, and which records they are shown. */
export interface LookupGrant {
  viewer: DisclosureConsentsViewedV1['viewer'];
  ground: DisclosureConsentsViewedV1['ground'];
  /** Filters the records the viewer may see (a guardian does not see a minor's own). */
  visible(records: readonly ConsentRecord[]): ConsentRecord[];
}

const forbidden = () =>
  new Forbidden("A subject's consents are shown to the subject and their guardian (resident e-service), and to professionals of a service a referral of the subject was routed to", 'CONSENT_LOOKUP_FORBIDDEN');

/**
 * The lookup rule (703/2023 and the client-status acts): a resident sees their own; a guardian
 * their child's, except what the minor decided personally (a minor may forbid disclosure to the
 * guardian, and the ledger cannot tell which of the minor's own records carry that wish, so
 * none of them is shown); a professional only about a subject of a referral routed to a
 * service their key acts for. Nobody else: not operators, not auditors, not other organisations.
 */
export async function lookupGrant(caller: Caller, subjectRef: string, routes: ReferralRoutes | undefined, pseudonymKey: Buffer): Promise<LookupGrant> {
  if (caller.person) {
    const own = parseIdentityCode(caller.person.identityCode);
    if (!own) throw forbidden();
    const viewer = { kind: 'person' as const, personRef: personRefOf(own.normalised, pseudonymKey), organisationId: caller.organisationId, systemId: caller.systemId };
    if (subjectRefOf(own.normalised, pseudonymKey) === subjectRef) return { viewer, ground: 'own', visible: (r) => [...r] };
    const children = (caller.person.guardianship?.childIdentityCodes ?? []).map((c) => parseIdentityCode(c)).filter((c) => c !== undefined);
    if (children.some((c) => subjectRefOf(c.normalised, pseudonymKey) === subjectRef)) {
      return { viewer, ground: 'guardian', visible: (r) => r.filter((c) => !(c.grantor.role === 'self' && c.minorDecidesPersonally)) };
    }
    throw forbidden();
  }
  const professional = caller.roles.includes('submitter') || caller.roles.includes('recipient');
  const serviceIds = professional && routes ? await routes.routedServices(subjectRef, caller.services) : [];
  if (serviceIds.length === 0) throw forbidden();
  return {
    viewer: { kind: 'organisation', organisationId: caller.organisationId, systemId: caller.systemId, serviceIds: serviceIds as [string, ...string[]] },
    ground: 'referral-routed-to-service',
    visible: (r) => [...r],
  };
}
