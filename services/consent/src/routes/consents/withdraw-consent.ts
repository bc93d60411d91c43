import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import { RECORDERS, type RouteDeps } from '../route-deps';
import { consentIdParams, consentRecord } from '../schemas';

/**
 * `POST /v1/consents/:id/withdraw`: permissions and bans alike. When it answers, the withdrawal
 * is on the topic and in the projection, so the next decision already refuses.
 */
export function registerWithdrawConsent(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Params: { id: string } }>(
    '/v1/consents/:id/withdraw',
    { schema: { summary: 'Withdraw a consent or a ban', params: consentIdParams, response: { 200: consentRecord } } },
    async (request) => {
      requireRole(request.caller, ...RECORDERS);
      return deps.ledger.withdraw(request.params.id, request.caller);
    },
  );
}
