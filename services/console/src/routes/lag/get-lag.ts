import type { FastifyInstance } from 'fastify';
import { requireRole, withDeadline } from '@polku/service-kit';
import type { GroupLagView } from '../../ops/lag';

const partition = {
  type: 'object',
  properties: {
    topic: { type: 'string' }, partition: { type: 'integer' }, committedOffset: { type: ['string', 'null'] }, endOffset: { type: 'string' }, lag: { type: 'integer' },
    oldestUnconsumedAt: { type: ['string', 'null'] }, oldestUnconsumedAgeSeconds: { type: ['integer', 'null'] },
  },
  required: ['topic', 'partition', 'committedOffset', 'endOffset', 'lag', 'oldestUnconsumedAt', 'oldestUnconsumedAgeSeconds'],
} as const;

/** `GET /v1/lag`: every consumer group's lag per partition, with the age of its oldest unconsumed event. */
export function registerGetLag(app: FastifyInstance, deps: { lag: () => Promise<GroupLagView[]> }): void {
  app.get(
    '/v1/lag',
    {
      schema: {
        summary: 'Consumer lag per group and partition, with the age of the oldest unconsumed event',
        response: {
          200: {
            type: 'object',
            properties: {
              groups: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { groupId: { type: 'string' }, lag: { type: 'integer' }, oldestUnconsumedAgeSeconds: { type: ['integer', 'null'] }, partitions: { type: 'array', items: partition } },
                  required: ['groupId', 'lag', 'oldestUnconsumedAgeSeconds', 'partitions'],
                },
              },
            },
            required: ['groups'],
          },
        },
      },
    },
    async (request) => {
      requireRole(request.caller, 'operator', 'auditor');
      // The broker's admin calls wait while it is away: a deadline, then 503.
      return { groups: await withDeadline(deps.lag(), 5000, 'the broker') };
    },
  );
}
