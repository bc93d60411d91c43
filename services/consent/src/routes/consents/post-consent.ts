import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConsentRecord } from '@polku/consent-policy';
import { requireRole } from '@polku/service-kit';
import { newConsent, type ConsentRequest } from '../../domain/new-consent';
import { consentReceipt } from '../../domain/receipt';
import { RECORDERS, type RouteDeps } from '../route-deps';
import { consentRecord, consentRequestBody, receipt } from '../schemas';

/**
 * `POST /v1/consents` (a disclosure permission, luovutuslupa) and `POST /v1/bans` (a ban,
 * luovutuskielto): the same body; the answer is the record and its consent receipt.
 */
export function registerPostConsent(app: FastifyInstance, deps: RouteDeps, route: { path: string; kind: ConsentRecord['kind'] }): void {
  const what = route.kind === 'permission' ? 'a disclosure permission (luovutuslupa)' : 'a disclosure ban (luovutuskielto)';
  app.post<{ Body: ConsentRequest }>(
    route.path,
    {
      schema: {
        summary: `Record ${what}`,
        body: consentRequestBody,
        response: { 201: { type: 'object', properties: { consent: consentRecord, receipt }, required: ['consent', 'receipt'] } },
      },
    },
    async (request, reply) => {
      requireRole(request.caller, ...RECORDERS);
      const record = newConsent(request.body, {
        kind: route.kind,
        consentId: randomUUID(),
        organisationId: request.caller.organisationId,
        pseudonymKey: deps.pseudonymKey,
        catalogue: deps.catalogue,
        now: deps.now(),
      });
      const consent = await deps.ledger.grant(record);
      reply.header('location', `${deps.publicUrl}/v1/consents/${consent.consentId}`);
      return reply.status(201).send({ consent, receipt: consentReceipt(consent, deps.catalogue, deps.policyUrl) });
    },
  );
}
