import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import type { QueueView } from '../../ops/queues';

const counts = {
  type: 'object',
  properties: { waiting: { type: 'integer' }, active: { type: 'integer' }, delayed: { type: 'integer' }, failed: { type: 'integer' } },
  required: ['waiting', 'active', 'delayed', 'failed'],
} as const;

/** `GET /v1/queues`: the backbone's BullMQ queues, read with BullMQ's own API. */
export function registerGetQueues(app: FastifyInstance, deps: { queues: () => Promise<QueueView[]> }): void {
  app.get(
    '/v1/queues',
    {
      schema: {
        summary: 'BullMQ queues: waiting, active, delayed and failed jobs, per adapter and per timer kind',
        response: {
          200: {
            type: 'object',
            properties: {
              queues: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    queue: { type: 'string' }, service: { type: 'string' }, kind: { type: 'string', enum: ['delivery', 'timer'] }, timerKind: { type: 'string' },
                    counts, byAdapter: { type: 'object', additionalProperties: counts }, byAdapterPartial: { type: 'boolean' },
                  },
                  required: ['queue', 'service', 'kind', 'counts'],
                },
              },
            },
            required: ['queues'],
          },
        },
      },
    },
    async (request) => {
      requireRole(request.caller, 'operator', 'auditor');
      return { queues: await deps.queues() };
    },
  );
}
