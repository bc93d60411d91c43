import type { FastifyInstance } from 'fastify';
import { PolkuError, requireRole, withDeadline } from '@polku/service-kit';
import type { RouterTimers } from '../../handlers/router-timers';
import type { ReferralMemory } from '../../referral-memory';

const timerView = {
  type: 'object',
  properties: {
    dueAt: { type: 'string', format: 'date-time' },
    state: { type: 'string', enum: ['delayed', 'waiting', 'active', 'completed', 'failed'] },
  },
  required: ['dueAt', 'state'],
  additionalProperties: false,
} as const;

/**
 * `GET /v1/referrals/:id/timers`, for operators: the referral's service-level deadline and its
 * follow-up check. A timer is absent when it was never set or was stopped (an acceptance, a close
 * or a cancel stops the deadline before it fires).
 */
export function registerGetTimers(app: FastifyInstance, deps: { timers: RouterTimers; memory: ReferralMemory }): void {
  app.get<{ Params: { id: string } }>(
    '/v1/referrals/:id/timers',
    {
      schema: {
        summary: "A referral's deadline and follow-up timers (operators)",
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false },
        response: { 200: { type: 'object', properties: { sla: timerView, followUp: timerView }, additionalProperties: false } },
      },
    },
    async (request) => {
      requireRole(request.caller, 'operator');
      const { id } = request.params;
      // The jobs live in Redis, whose commands wait while it is away: a short deadline, then 503.
      const [sla, followUp, record] = await Promise.all([
        withDeadline(deps.timers.sla.describe(id), 1500, 'the timer queue'),
        withDeadline(deps.timers.followUps.describe(id), 1500, 'the timer queue'),
        deps.memory.get(id),
      ]);
      if (!sla && !followUp && !record) throw new PolkuError('NOT_FOUND', `The router has not seen referral ${id}`, { status: 404 });
      return { ...(sla ? { sla } : {}), ...(followUp ? { followUp } : {}) };
    },
  );
}
