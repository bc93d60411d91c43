import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { createEvent, type CloudEvent, type DisclosureConsentsViewedV1 } from '@polku/contracts';
import { lookupGrant } from '../../domain/lookup-access';
import { CONSENT_SOURCE } from '../../ledger';
import { sqlReferralRoutes } from '../../projection/referral-routes';
import { viewFor, type RouteDeps } from '../route-deps';

const VIEWED_TYPE = 'fi.polku.disclosure.consents-viewed.v1';

/**
 * A subject's consents for a caller allowed to see them, the lookup itself written to the
 * disclosure log (who looked, on what ground, how much they saw) and committed before the
 * answer leaves: no entry, no answer.
 */
export async function showConsents(request: FastifyRequest, deps: RouteDeps, subjectRef: string) {
  const grant = await lookupGrant(request.caller, subjectRef, deps.referralRoutes ? sqlReferralRoutes(deps.db) : undefined, deps.pseudonymKey);
  const all = await deps.store.listBySubject(subjectRef);
  const shown = grant.visible(all);
  const at = deps.now().toISOString();
  const data: DisclosureConsentsViewedV1 = { disclosureId: randomUUID(), subjectRef, viewer: grant.viewer, ground: grant.ground, shown: shown.length, withheld: all.length - shown.length, at };
  const event = createEvent(VIEWED_TYPE, { source: CONSENT_SOURCE, subject: subjectRef, time: at, data });
  await deps.db.transaction((tx) => deps.disclosureLog.record(tx, event as unknown as CloudEvent));
  request.log.info({ ground: grant.ground, shown: shown.length, withheld: data.withheld }, 'consents looked up');
  return { subjectRef, consents: shown.map((c) => viewFor(request.caller, c)) };
}
