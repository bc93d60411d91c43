import type { FastifyInstance } from 'fastify';
import { Forbidden } from '@polku/service-kit';
import { statusAccess } from '../../domain/referral-access';
import { statusView } from '../../domain/status-view';
import { ReferralNotFound } from '../../errors';
import type { StatusStore } from '../../status/status-store';
import { problemResponse, statusSchema } from './response-schemas';

const schema = {
  tags: ['referrals'],
  summary: 'The one status of a referral',
  description:
    'Current state and the timeline of what happened across sectors: submitted, routed to whom, delivered, accepted or declined, contact made, forwarded, closed. ' +
    'Built from the referral event log, so a referral just submitted can answer 404 for a moment after its 202. ' +
    'Readable by the submitting organisation (a key with the role `submitter`), by a recipient key that acts for a service the referral was routed, handed over or delivered to, and by operators. No personal details.',
  params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
  response: {
    200: { description: 'The status and timeline', ...statusSchema },
    400: problemResponse('The id is not a UUID'),
    401: problemResponse('No valid API key'),
    403: problemResponse('NOT_FOR_YOUR_SERVICE: routed to a service of the caller\'s organisation that this key does not act for; NOT_A_RECIPIENT: neither submitted by nor routed to the caller\'s organisation; FORBIDDEN: the key has none of the roles submitter, recipient, operator'),
    404: problemResponse('REFERRAL_NOT_FOUND: no such referral (yet)'),
  },
};

export function registerGetReferral(app: FastifyInstance, store: StatusStore): void {
  app.get<{ Params: { id: string } }>('/v1/referrals/:id', { schema }, async (request) => {
    const found = await store.get(request.params.id);
    if (!found) throw new ReferralNotFound(request.params.id);
    const access = statusAccess(found.record, request.caller);
    if (!access.allowed) {
      // Who asked and why not; the referral id is no personal data, the record holds none.
      request.log.info({ referralId: found.record.referralId, organisationId: request.caller.organisationId, systemId: request.caller.systemId, code: access.code }, 'status refused');
      throw new Forbidden(access.reason, access.code);
    }
    return statusView(found.record, found.attempts);
  });
}
