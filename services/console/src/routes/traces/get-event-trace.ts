import type { FastifyInstance } from 'fastify';
import type { TraceReader } from '../../trace/trace-reader';
import { traceAnswer, traceSummary } from './trace-schema';
import { traceViewOf } from './view-of';

/** `GET /v1/traces/events/:eventId`: the trace of the referral an event (referral, delivery or disclosure) is about. */
export function registerGetEventTrace(app: FastifyInstance, deps: { traces: TraceReader }): void {
  app.get<{ Params: { eventId: string } }>(
    '/v1/traces/events/:eventId',
    {
      schema: {
        summary: 'The trace of the referral an event is about, by the event id',
        description: traceSummary,
        params: { type: 'object', properties: { eventId: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['eventId'], additionalProperties: false },
        response: { 200: traceAnswer },
      },
    },
    async (request) => {
      const view = traceViewOf(request.caller);
      return deps.traces.byReferral(await deps.traces.referralOfEvent(request.params.eventId), view);
    },
  );
}
