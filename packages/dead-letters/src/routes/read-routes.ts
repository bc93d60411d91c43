import type { FastifyInstance } from 'fastify';
import { RequestInvalid, requireRole } from '@polku/service-kit';
import { DeadLetterNotFound } from '../errors';
import { deadLetterCursor, deadLetterDetail, listDeadLetters, type DeadLetterFilter } from '../store';
import type { DeadLetterRouteDeps } from './deps';
import { deadLetterDetailSchema, deadLetterViewSchema, filterQuerySchema, idParamsSchema, problem, readProblems } from './schemas';

type ListQuery = DeadLetterFilter & { limit?: string; before?: string };
export type IdParams = { topic: string; partition: string; offset: string };

function cursorOf(before: string | undefined): { at: string; id: string } | undefined {
  const cursor = deadLetterCursor(before);
  if (before !== undefined && !cursor) throw new RequestInvalid([{ field: '/before', in: 'querystring', message: 'must be the next cursor of a previous page' }]);
  return cursor;
}

/** Listing and one record's view: operators and auditors. */
export function registerReadRoutes(app: FastifyInstance, deps: DeadLetterRouteDeps): void {
  app.get<{ Querystring: ListQuery }>('/v1/dead-letters', {
    schema: {
      tags: ['dead-letters'], summary: 'List dead letters (operators, auditors)', querystring: filterQuerySchema,
      description: 'Newest first, by topic, consumer group, error code, time and state. Codes and sizes only, never a record\'s value.',
      response: {
        200: { description: 'A page of dead letters', type: 'object', properties: { deadLetters: { type: 'array', items: deadLetterViewSchema }, next: { type: 'string', description: 'Pass as `before` for the next page' } }, required: ['deadLetters'] },
        400: problem('VALIDATION_FAILED'), ...readProblems,
      },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator', 'auditor');
    const { limit: asked, before, ...filter } = request.query;
    const limit = Math.max(1, Number(asked ?? '100'));
    const deadLetters = await listDeadLetters(deps.db, filter, limit, cursorOf(before));
    const last = deadLetters.at(-1);
    return { deadLetters, ...(deadLetters.length === limit && last ? { next: `${last.deadLetteredAt}|${last.id}` } : {}) };
  });

  app.get<{ Params: IdParams }>('/v1/dead-letters/:topic/:partition/:offset', {
    schema: {
      tags: ['dead-letters'], summary: 'One dead letter (operators, auditors)', params: idParamsSchema,
      description: 'Its headers and codes, the value\'s size and, when it is not an event, why; never the value\'s bytes.',
      response: { 200: { description: 'The dead letter', ...deadLetterDetailSchema }, 404: problem('DEAD_LETTER_NOT_FOUND'), ...readProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator', 'auditor');
    const { topic, partition, offset } = request.params;
    const detail = await deadLetterDetail(deps.db, `${topic}/${Number(partition)}/${BigInt(offset)}`);
    if (!detail) throw new DeadLetterNotFound();
    return detail;
  });
}
