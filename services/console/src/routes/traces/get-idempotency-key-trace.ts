import type { FastifyInstance } from 'fastify';
import type { TraceReader } from '../../trace/trace-reader';
import { traceAnswer, traceSummary } from './trace-schema';
import { traceViewOf } from './view-of';

/**
 * `GET /v1/traces/idempotency-keys/:key`: the trace of the referral a `POST /v1/referrals` with
 * this Idempotency-Key created (answers are kept 24 hours). The key is per organisation: when
 * several used it, `organisationId` says whose.
 */
export function registerGetIdempotencyKeyTrace(app: FastifyInstance, deps: { traces: TraceReader }): void {
  app.get<{ Params: { key: string }; Querystring: { organisationId?: string } }>(
    '/v1/traces/idempotency-keys/:key',
    {
      schema: {
        summary: 'The trace of the referral submitted with an Idempotency-Key',
        description: traceSummary,
        params: { type: 'object', properties: { key: { type: 'string', minLength: 1, maxLength: 255 } }, required: ['key'], additionalProperties: false },
        querystring: { type: 'object', properties: { organisationId: { type: 'string', minLength: 1, maxLength: 100 } }, additionalProperties: false },
        response: { 200: traceAnswer },
      },
    },
    async (request) => {
      const view = traceViewOf(request.caller);
      return deps.traces.byReferral(await deps.traces.referralOfIdempotencyKey(request.params.key, request.query.organisationId), view);
    },
  );
}
