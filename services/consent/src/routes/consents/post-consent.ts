import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConsentRecord } from '@polku/consent-policy';
import { bodyFingerprint } from '@polku/db';
import { requirePerson, requireRole } from '@polku/service-kit';
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
  app.post<{ Body: ConsentRequest; Headers: { 'idempotency-key'?: string } }>(
    route.path,
    {
      schema: {
        summary: `Record ${what}`,
        description: 'Recorded durably even while the message broker is away: the answer means it is stored and decisions already follow it. ' +
          'With an `Idempotency-Key`, a retry within 24 hours gets the first answer again (header `Idempotent-Replayed: true`) and records nothing new.',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 128, description: 'Makes a retried request return the first answer and record nothing new (kept 24 h per organisation).' } } },
        body: consentRequestBody,
        response: { 201: { type: 'object', properties: { consent: consentRecord, receipt }, required: ['consent', 'receipt'] } },
      },
    },
    async (request, reply) => {
      requireRole(request.caller, ...RECORDERS, 'resident');
      // A resident e-service's key records only for the person it vouches for in this request.
      const person = request.caller.roles.includes('resident') ? requirePerson(request.caller) : undefined;
      const record = newConsent(request.body, {
        kind: route.kind,
        consentId: randomUUID(),
        organisationId: request.caller.organisationId,
        systemId: request.caller.systemId,
        ...(person ? { person } : {}),
        pseudonymKey: deps.pseudonymKey,
        catalogue: deps.catalogue,
        now: deps.now(),
      });
      const key = request.headers['idempotency-key'];
      const fresh = { consent: record, receipt: consentReceipt(record, deps.catalogue, deps.policyUrl) };
      // The person is part of the fingerprint: one e-service key serves many people, and nobody gets another's answer.
      const idempotency = key === undefined ? undefined : { organisationId: request.caller.organisationId, key, fingerprint: bodyFingerprint({ path: route.path, body: request.body, ...(person ? { grantor: record.grantor.ref } : {}) }) };
      const { answer, replayed } = await deps.ledger.grant(record, fresh, idempotency);
      if (replayed) reply.header('idempotent-replayed', 'true');
      reply.header('location', `${deps.publicUrl}/v1/consents/${answer.consent.consentId}`);
      return reply.status(201).send(answer);
    },
  );
}
