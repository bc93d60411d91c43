import type { FastifyInstance } from 'fastify';
import type { TraceReader } from '../../trace/trace-reader';
import { traceAnswer, traceSummary } from './trace-schema';
import { traceViewOf } from './view-of';

/** `GET /v1/traces/referrals/:referralId`: one referral's path through the backbone. */
export function registerGetReferralTrace(app: FastifyInstance, deps: { traces: TraceReader }): void {
  app.get<{ Params: { referralId: string } }>(
    '/v1/traces/referrals/:referralId',
    {
      schema: {
        summary: "A referral's trace, by its id",
        description: traceSummary,
        params: { type: 'object', properties: { referralId: { type: 'string', format: 'uuid' } }, required: ['referralId'], additionalProperties: false },
        response: { 200: traceAnswer },
      },
    },
    async (request) => {
      const view = traceViewOf(request.caller);
      return deps.traces.byReferral(request.params.referralId, view);
    },
  );
}
