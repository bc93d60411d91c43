import type { FastifyInstance } from 'fastify';
import type { Sql } from '@polku/db';
import { RequestInvalid, requireRole } from '@polku/service-kit';
import { auditCursor, listOperatorActions } from '../../audit/audit-trail';

const action = {
  type: 'object',
  properties: {
    actionId: { type: 'string' }, action: { type: 'string' },
    actor: { type: 'object', additionalProperties: true, description: 'keyId (a system) or person.subject (a person on the console pages), with organisationId and systemId' },
    reason: { type: 'object', properties: { code: { type: 'string' }, ticket: { type: 'string' } }, required: ['code'] },
    target: { type: ['object', 'null'], additionalProperties: true }, filter: { type: ['object', 'null'], additionalProperties: true },
    counts: { type: ['object', 'null'], additionalProperties: true }, requestedAt: { type: 'string' },
    outcome: { type: ['string', 'null'], enum: ['succeeded', 'failed', 'cancelled', null] }, errorCode: { type: ['string', 'null'] }, completedAt: { type: ['string', 'null'] },
  },
  required: ['actionId', 'action', 'actor', 'reason', 'requestedAt', 'outcome'],
} as const;

/** `GET /v1/operator-actions`: the operators' audit trail, for auditors only (operators do not audit themselves). */
export function registerGetOperatorActions(app: FastifyInstance, deps: { db: Sql }): void {
  app.get<{ Querystring: { limit?: number; before?: string } }>('/v1/operator-actions', {
    schema: {
      summary: 'The operators\' audit trail, newest first (auditors)',
      description: 'Every replay, park, bulk replay and its cancel, and key revocation: who (a key id or a person\'s subject at the identity provider), why (a reason code and ticket), on what, and how it ended. From polku.operator.audit.v1.',
      querystring: {
        type: 'object',
        properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, before: { type: 'string', maxLength: 200, description: 'The `next` of the previous page' } },
        additionalProperties: false,
      },
      response: { 200: { type: 'object', properties: { actions: { type: 'array', items: action }, next: { type: 'string' } }, required: ['actions'] } },
    },
  }, async (request) => {
    requireRole(request.caller, 'auditor');
    const before = auditCursor(request.query.before);
    if (request.query.before !== undefined && !before) throw new RequestInvalid([{ field: '/before', in: 'querystring', message: 'must be the next cursor of a previous page' }]);
    return listOperatorActions(deps.db, { limit: request.query.limit ?? 100, ...(before ? { before } : {}) });
  });
}
