import type { FastifyInstance } from 'fastify';
import { Forbidden, requireRole } from '@polku/service-kit';
import { ConsentNotFound } from '../../errors';
import { consentReceipt } from '../../domain/receipt';
import { RECORDERS, type RouteDeps } from '../route-deps';
import { consentIdParams, consentRecord, receipt } from '../schemas';

/** `GET /v1/consents/:id`: one consent as it now stands, with its receipt (the `Location` of a new one), for its recording organisation, operators and auditors. */
export function registerGetConsent(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { id: string } }>(
    '/v1/consents/:id',
    {
      schema: {
        summary: 'One consent and its receipt',
        params: consentIdParams,
        response: { 200: { type: 'object', properties: { consent: consentRecord, receipt }, required: ['consent', 'receipt'] } },
      },
    },
    async (request) => {
      requireRole(request.caller, ...RECORDERS, 'operator', 'auditor');
      const consent = await deps.store.get(request.params.id);
      if (!consent) throw new ConsentNotFound(request.params.id);
      // A professional reads one consent by id only if its organisation recorded it (the receipt link it was given);
      // a subject's consents otherwise go through the logged lookup.
      const overseer = request.caller.roles.includes('operator') || request.caller.roles.includes('auditor');
      if (!overseer && consent.recordedBy.organisationId !== request.caller.organisationId) {
        throw new Forbidden('A consent is read by id only by the organisation that recorded it; use the subject lookup', 'CONSENT_LOOKUP_FORBIDDEN');
      }
      return { consent, receipt: consentReceipt(consent, deps.catalogue, deps.policyUrl) };
    },
  );
}
