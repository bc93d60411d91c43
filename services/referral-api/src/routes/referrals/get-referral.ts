import type { FastifyInstance } from 'fastify';
import { Forbidden } from '@polku/service-kit';
import { canReadStatus } from '../../domain/can-read-status';
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
    'Readable by the submitting organisation, the organisations it was routed to, and operators. No personal details.',
  params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
  response: {
    200: { description: 'The status and timeline', ...statusSchema },
    400: problemResponse('The id is not a UUID'),
    401: problemResponse('No valid API key'),
    403: problemResponse('The caller\'s organisation neither submitted the referral nor was routed to it, and is not an operator'),
    404: problemResponse('REFERRAL_NOT_FOUND: no such referral (yet)'),
  },
};

export function registerGetReferral(app: FastifyInstance, store: StatusStore): void {
  app.get<{ Params: { id: string } }>('/v1/referrals/:id', { schema }, async (request) => {
    const found = await store.get(request.params.id);
    if (!found) throw new ReferralNotFound(request.params.id);
    if (!canReadStatus(found.record, request.caller)) {
      throw new Forbidden(`${request.caller.organisationId} neither submitted referral ${found.record.referralId} nor was it routed there`);
    }
    return statusView(found.record, found.attempts);
  });
}
