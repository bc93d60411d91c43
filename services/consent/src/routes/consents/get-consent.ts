import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import { ConsentNotFound } from '../../errors';
import { consentReceipt } from '../../domain/receipt';
import { RECORDERS, type RouteDeps } from '../route-deps';
import { consentIdParams, consentRecord, receipt } from '../schemas';

/** `GET /v1/consents/:id`: one consent as it now stands, with its receipt (the `Location` of a new one). */
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
      return { consent, receipt: consentReceipt(consent, deps.catalogue, deps.policyUrl) };
    },
  );
}
