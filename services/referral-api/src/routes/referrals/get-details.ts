import type { FastifyInstance } from 'fastify';
import { errorCode, Forbidden, sendProblem } from '@polku/service-kit';
import { detailsRoleDenial } from '../../domain/referral-access';
import { claimDetails, type ClaimCheckDeps } from '../../disclosure/claim-details';
import { DisclosureLogUnavailable } from '../../errors';
import { detailsAnswerSchema } from './details-schemas';
import { problemResponse } from './response-schemas';

const schema = {
  tags: ['referrals'],
  summary: 'The personal details of a referral, as far as consent or statute allows (claim check)',
  description:
    'For the services a referral was routed to (lead, co-workers, the coordinator after a hand-over, or whoever it was forwarded or delivered to), with a key of their own (role `recipient`) that acts for that service. Never for operators. ' +
    'The consent service decides on every request which data categories this recipient may have; only those are answered, the rest is left out. ' +
    'Every release and every refusal is written to the disclosure log before it is answered, listing exactly the fields released (need codes and urgency only with `need-description`). `X-Polku-User` names the user (an opaque reference) for the log; `X-Polku-Delivery` the delivery an adapter fetches for (logged once per delivery). ' +
    'The answer is personal data: `Cache-Control: no-store`, never log it.',
  params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
  headers: {
    type: 'object',
    properties: {
      'x-polku-user': { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'Opaque reference of the user who fetches (never a name), recorded in the disclosure log.' },
      'x-polku-delivery': { type: 'string', format: 'uuid', description: 'The delivery an adapter fetches for: when it is the caller\'s own delivery of this referral, the release is logged once per delivery (and set of fields) however often the delivery is retried.' },
    },
  },
  response: {
    200: { description: 'The released categories and only their details', ...detailsAnswerSchema },
    400: problemResponse('The id is not a UUID, or X-Polku-User is malformed'),
    401: problemResponse('No valid API key'),
    403: problemResponse('DETAILS_NOT_FOR_OPERATORS: an operator key never gets details; FORBIDDEN: the key lacks the role recipient; NOT_FOR_YOUR_SERVICE: routed to a service of the caller\'s organisation this key does not act for; NOT_A_RECIPIENT: not routed to the caller\'s organisation; DISCLOSURE_REFUSED: no consent or statute allows it (`reason`, `reasonCode`)'),
    404: problemResponse('REFERRAL_NOT_FOUND: no such referral (yet); DETAILS_NOT_FOUND: the vault has no details for it'),
    409: problemResponse('REFERRAL_NOT_ROUTED_YET: the referral has no recipients yet; retry in a moment (nothing is logged)'),
    410: problemResponse('DETAILS_ERASED: the details were erased a while after the referral closed (retention); nothing was released'),
    503: problemResponse('CONSENT_UNAVAILABLE, DISCLOSURE_LOG_UNAVAILABLE or DATABASE_UNAVAILABLE: nothing was released; retry after `Retry-After` seconds'),
  },
};

export function registerGetDetails(app: FastifyInstance, deps: ClaimCheckDeps): void {
  app.get<{ Params: { id: string }; Headers: { 'x-polku-user'?: string; 'x-polku-delivery'?: string } }>('/v1/referrals/:id/details', { schema }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const denied = detailsRoleDenial(request.caller);
    if (denied) {
      request.log.info({ referralId: request.params.id, organisationId: request.caller.organisationId, systemId: request.caller.systemId, code: denied.code }, 'details refused');
      throw new Forbidden(denied.reason, denied.code);
    }
    const userRef = request.headers['x-polku-user'];
    const deliveryId = request.headers['x-polku-delivery'];
    const { caller } = request;
    let outcome;
    try {
      outcome = await claimDetails(deps, { referralId: request.params.id, caller, ...(userRef !== undefined ? { userRef } : {}), ...(deliveryId !== undefined ? { deliveryId } : {}) });
    } catch (error) {
      if (error instanceof DisclosureLogUnavailable) request.log.error({ referralId: request.params.id, cause: errorCode(error.cause) }, 'disclosure log unavailable');
      throw error;
    }
    const facts = { referralId: request.params.id, organisationId: caller.organisationId, systemId: caller.systemId, subjectRef: outcome.subjectRef };
    if (outcome.released) {
      request.log.info({ ...facts, disclosureId: outcome.answer.disclosureId, dataCategories: outcome.answer.dataCategories, basis: outcome.answer.basis.kind }, 'details released');
      return reply.status(200).send(outcome.answer);
    }
    request.log.info({ ...facts, disclosureId: outcome.disclosureId, reasonCode: outcome.reasonCode }, 'details refused');
    return sendProblem(reply, {
      status: 403,
      code: outcome.code,
      title: 'Not allowed',
      detail: outcome.detail,
      extensions: { reason: outcome.reason, reasonCode: outcome.reasonCode, disclosureId: outcome.disclosureId },
    });
  });
}
