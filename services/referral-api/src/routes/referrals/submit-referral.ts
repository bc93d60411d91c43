import type { FastifyInstance } from 'fastify';
import { RequestInvalid, requireRole } from '@polku/service-kit';
import { bodyFingerprint } from '@polku/db';
import { createReferral, type ReferralIntake } from '../../create-referral';
import { checkReferral } from '../../domain/check-referral';
import { submitterOf } from '../../domain/submitter-of';
import type { ReferralRequest } from '../../domain/referral-request';
import { problemResponse, submitAnswerSchema } from './response-schemas';
import { submitBodySchema, submitHeadersSchema } from './submit-body-schema';

export interface SubmitReferralDeps {
  intake: ReferralIntake;
  municipalities: ReadonlySet<string>;
  publicUrl: string;
  /** Tests of crash safety only: runs after the referral is committed, before the 202 is sent. */
  afterCommit?: () => void;
}

const schema = {
  tags: ['referrals'],
  summary: 'Submit a referral',
  description:
    'A professional (school, daycare, health clinic, social services, NGO, parish) or a resident e-service (self-referral) submits a need for support. ' +
    'Personal details go into the encrypted vault; the backbone routes the referral with codes only. A professional role needs a key with the role `submitter`; ' +
    '`resident` (a self-referral, the identity code defaulting to the identified person\'s) and `guardian` (about a child under 18 in the person\'s guardianship) need the resident e-service\'s key and its signed person assertion. ' +
    'Every failing field is listed in one 400. A 202 means the referral is stored durably, whether or not the message broker is reachable at that moment. ' +
    'With an `Idempotency-Key`, a retry within 24 hours returns the first answer (header `Idempotent-Replayed: true`) and creates nothing new.',
  headers: submitHeadersSchema,
  body: submitBodySchema,
  response: {
    202: { description: 'Accepted: the referral exists and is on its way to routing. `Location` names its status.', ...submitAnswerSchema },
    400: problemResponse('The body breaks the schema, or names an unknown municipality or an invalid identity code; `errors` lists every field'),
    401: problemResponse('No valid API key, or PERSON_ASSERTION_REQUIRED / PERSON_ASSERTION_INVALID for a person\'s referral'),
    403: problemResponse('The key lacks the role submitter; SUBMITTER_ROLE_NOT_YOURS, NOT_THE_PERSON_OR_THEIR_CHILD or CHILD_OF_AGE'),
    409: problemResponse('IDEMPOTENCY_KEY_REUSED: the key came with another body'),
    503: problemResponse('DATABASE_UNAVAILABLE: nothing was stored; retry after `Retry-After` seconds'),
  },
};

export function registerSubmitReferral(app: FastifyInstance, deps: SubmitReferralDeps): void {
  app.post<{ Body: ReferralRequest; Headers: { 'idempotency-key'?: string } }>('/v1/referrals', { schema }, async (request, reply) => {
    const { caller, body } = request;
    requireRole(caller, 'submitter', 'resident');
    const now = new Date();
    const checked = checkReferral(body, { municipalities: deps.municipalities, now });
    if (!checked.ok) throw new RequestInvalid(checked.problems);
    // The key (and the e-service's verified assertion) says who submits, never the body.
    const submitter = submitterOf(caller, body.submitter.role, checked.identity, now);
    const key = request.headers['idempotency-key'];
    const outcome = await createReferral(deps.intake, body, caller, submitter, key === undefined ? undefined : { key, fingerprint: bodyFingerprint(body) });
    deps.afterCommit?.();
    const facts = { referralId: outcome.answer.id, organisationId: caller.organisationId, systemId: caller.systemId };
    if (outcome.replayed) {
      request.log.info(facts, 'referral submit replayed');
      reply.header('idempotent-replayed', 'true');
    } else {
      request.log.info(facts, 'referral submitted');
    }
    return reply.status(202).header('location', new URL(outcome.answer.links.self, deps.publicUrl).href).send(outcome.answer);
  });
}
