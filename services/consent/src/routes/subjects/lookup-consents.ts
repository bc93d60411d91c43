import type { FastifyInstance } from 'fastify';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { RequestInvalid } from '@polku/service-kit';
import type { RouteDeps } from '../route-deps';
import { showConsents } from './show-consents';
import { consentList, identityCode } from '../schemas';

/**
 * `POST /v1/subjects/consents/lookup` `{ identityCode }`: the same list for a caller who knows
 * only the identity code. POST, so the code is in no URL or access log.
 */
export function registerLookupConsents(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: { identityCode: string } }>(
    '/v1/subjects/consents/lookup',
    {
      schema: {
        summary: "A subject's consents and bans, by identity code",
        body: { type: 'object', properties: { identityCode }, required: ['identityCode'], additionalProperties: false },
        response: { 200: consentList },
      },
    },
    async (request) => {
      const code = parseIdentityCode(request.body.identityCode);
      if (!code) throw new RequestInvalid([{ field: '/identityCode', in: 'body', message: 'is not a valid Finnish personal identity code' }]);
      const ref = subjectRefOf(code.normalised, deps.pseudonymKey);
      return showConsents(request, deps, ref);
    },
  );
}
