import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import { withdrawalBy, type WithdrawalReason } from '../../domain/ownership';
import { RECORDERS, type RouteDeps } from '../route-deps';
import { consentIdParams, consentRecord, withdrawalReason } from '../schemas';

/**
 * `POST /v1/consents/:id/withdraw` `{ reason? }`: permissions and bans alike, only by the person
 * who gave it (resident e-service) or the organisation that recorded it. When it answers, the
 * withdrawal is on the topic and in the projection, so the next decision already refuses.
 */
export function registerWithdrawConsent(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Params: { id: string }; Body: { reason?: WithdrawalReason } | undefined }>(
    '/v1/consents/:id/withdraw',
    {
      schema: {
        summary: 'Withdraw a consent or a ban (its grantor, or its recording organisation)',
        params: consentIdParams,
        body: { type: ['object', 'null'], properties: { reason: withdrawalReason }, additionalProperties: false },
        response: { 200: consentRecord },
      },
    },
    async (request) => {
      requireRole(request.caller, ...RECORDERS, 'resident');
      const reason = request.body?.reason ?? 'grantor-request';
      return deps.ledger.withdraw(request.params.id, (current) => withdrawalBy(current, request.caller, deps.pseudonymKey), reason);
    },
  );
}
