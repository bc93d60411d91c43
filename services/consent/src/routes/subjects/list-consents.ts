import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import { READERS, viewFor, type RouteDeps } from '../route-deps';
import { consentList, subjectRef } from '../schemas';

/** `GET /v1/subjects/:subjectRef/consents`: every consent of a subject, in any state, oldest first. */
export function registerListConsents(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { subjectRef: string } }>(
    '/v1/subjects/:subjectRef/consents',
    {
      schema: {
        summary: "A subject's consents and bans, by subject reference",
        params: { type: 'object', properties: { subjectRef }, required: ['subjectRef'], additionalProperties: false },
        response: { 200: consentList },
      },
    },
    async (request) => {
      requireRole(request.caller, ...READERS);
      const { subjectRef: ref } = request.params;
      const consents = await deps.store.listBySubject(ref);
      return { subjectRef: ref, consents: consents.map((c) => viewFor(request.caller, c)) };
    },
  );
}
