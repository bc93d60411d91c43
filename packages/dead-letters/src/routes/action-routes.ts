import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import { parkOne, replayOne } from '../actions';
import { auditReason, type DeadLetterRouteDeps, type Reason } from './deps';
import type { IdParams } from './read-routes';
import { actionProblems, idParamsSchema, problem, reasonBody } from './schemas';

const changed = (state: string) => ({
  description: `Done: the dead letter is ${state}`, type: 'object',
  properties: { id: { type: 'string' }, state: { type: 'string', enum: [state] } }, required: ['id', 'state'],
} as const);

/** Replay one and park one: operators only, each audited before it runs. */
export function registerActionRoutes(app: FastifyInstance, deps: DeadLetterRouteDeps): void {
  const idOf = (p: IdParams) => `${p.topic}/${Number(p.partition)}/${BigInt(p.offset)}`;

  app.post<{ Params: IdParams; Body: Reason }>('/v1/dead-letters/:topic/:partition/:offset/replay', {
    schema: {
      tags: ['dead-letters'], summary: 'Replay one dead letter to the consumer that failed (operators)', params: idParamsSchema, body: reasonBody,
      description: 'Sends the record, same key and event id, with only its event headers and the replay count one up, to the retry topic of the one consumer that failed. Refused for a parked dead letter (DEAD_LETTER_PARKED, after 3 replays) or one not open.',
      response: { 200: changed('replayed'), 404: problem('DEAD_LETTER_NOT_FOUND'), 409: problem('DEAD_LETTER_PARKED, DEAD_LETTER_NOT_OPEN or RETRY_TOPIC_MISSING'), ...actionProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    const id = idOf(request.params);
    await replayOne(deps, id, request.caller, auditReason(request.body));
    return { id, state: 'replayed' };
  });

  app.post<{ Params: IdParams; Body: Reason }>('/v1/dead-letters/:topic/:partition/:offset/park', {
    schema: {
      tags: ['dead-letters'], summary: 'Park one dead letter: kept, never replayed (operators)', params: idParamsSchema, body: reasonBody,
      response: { 200: changed('parked'), 404: problem('DEAD_LETTER_NOT_FOUND'), 409: problem('DEAD_LETTER_PARKED or DEAD_LETTER_NOT_OPEN'), ...actionProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    const id = idOf(request.params);
    await parkOne(deps, id, request.caller, auditReason(request.body));
    return { id, state: 'parked' };
  });
}
