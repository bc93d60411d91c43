import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../route-deps';
import { showConsents } from './show-consents';
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
      const { subjectRef: ref } = request.params;
      return showConsents(request, deps, ref);
    },
  );
}
