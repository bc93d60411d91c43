import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import type { Sql } from '@polku/db';
import { listAlerts } from '../../alerts/alert-store';
import { ALERT_KINDS, type AlertState } from '../../domain/alert-state';

const STATES = ['pending', 'firing', 'resolved'] as const;

/** `GET /v1/alerts`: the alerts the console evaluates, by state, with since when each is in it. */
export function registerGetAlerts(app: FastifyInstance, deps: { db: Sql }): void {
  app.get<{ Querystring: { state?: string; since?: string } }>(
    '/v1/alerts',
    {
      schema: {
        summary: 'Alerts: firing and pending unless ?state= says otherwise; ?since= only those whose state began then or later',
        querystring: {
          type: 'object',
          properties: {
            state: { type: 'string', pattern: '^(pending|firing|resolved)(,(pending|firing|resolved))*$', description: 'one or several, comma-separated: ?state=firing,resolved' },
            since: { type: 'string', format: 'date-time' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              evaluatedAt: { type: ['string', 'null'], description: 'The last evaluation; an old one means the console is not evaluating' },
              alerts: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: { type: 'string' }, kind: { type: 'string', enum: [...ALERT_KINDS] }, about: { type: 'string' }, state: { type: 'string', enum: [...STATES] },
                    since: { type: 'string' }, activeSince: { type: ['string', 'null'] }, value: { type: ['number', 'null'] }, threshold: { type: ['number', 'null'] },
                    detail: { type: 'object', additionalProperties: true },
                  },
                  required: ['key', 'kind', 'about', 'state', 'since', 'activeSince', 'value', 'threshold', 'detail'],
                },
              },
            },
            required: ['evaluatedAt', 'alerts'],
          },
        },
      },
    },
    async (request) => {
      requireRole(request.caller, 'operator', 'auditor');
      const states = (request.query.state ? request.query.state.split(',') : ['firing', 'pending']) as AlertState[];
      return listAlerts(deps.db, { states, ...(request.query.since ? { since: new Date(request.query.since) } : {}) });
    },
  );
}
