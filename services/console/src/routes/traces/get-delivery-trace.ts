import type { FastifyInstance } from 'fastify';
import type { TraceReader } from '../../trace/trace-reader';
import { traceAnswer, traceSummary } from './trace-schema';
import { traceViewOf } from './view-of';

/** `GET /v1/traces/deliveries/:deliveryId`: the trace of the referral a delivery belongs to. */
export function registerGetDeliveryTrace(app: FastifyInstance, deps: { traces: TraceReader }): void {
  app.get<{ Params: { deliveryId: string } }>(
    '/v1/traces/deliveries/:deliveryId',
    {
      schema: {
        summary: 'The trace of the referral a delivery belongs to, by the delivery id',
        description: traceSummary,
        params: { type: 'object', properties: { deliveryId: { type: 'string', format: 'uuid' } }, required: ['deliveryId'], additionalProperties: false },
        response: { 200: traceAnswer },
      },
    },
    async (request) => {
      const view = traceViewOf(request.caller);
      return deps.traces.byReferral(await deps.traces.referralOfDelivery(request.params.deliveryId), view);
    },
  );
}
