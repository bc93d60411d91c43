import type { FastifyInstance } from 'fastify';
import { listAlerts } from '../alerts/alert-store';
import { messagesFor } from './i18n';
import { NO_KEY, PAGES, type PageKit } from './page-kit';
import type { PagesDeps } from './pages';

const READERS = ['operator', 'auditor'] as const;

/** Consumer lag, the BullMQ queues and the alerts: what the JSON API's /v1/lag, /v1/queues and /v1/alerts answer, as tables. */
export function registerOpsPages(ui: FastifyInstance, kit: PageKit, deps: PagesDeps): void {
  ui.get('/lag', { config: NO_KEY, schema: { ...PAGES, summary: 'Consumer lag per group and partition, with the oldest unconsumed record\'s age (operators, auditors)' } }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    const groups = (await deps.lag()).sort((a, b) => b.lag - a.lag || a.groupId.localeCompare(b.groupId));
    return kit.render(request, reply, 'lag', messagesFor(request.language).lagTitle, { groups });
  });

  ui.get('/queues', { config: NO_KEY, schema: { ...PAGES, summary: 'The backbone\'s BullMQ queues: waiting, active, delayed, failed; deliveries by adapter (operators, auditors)' } }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    return kit.render(request, reply, 'queues', messagesFor(request.language).queuesTitle, { queues: await deps.queues() });
  });

  ui.get('/alerts', { config: NO_KEY, schema: { ...PAGES, summary: 'Alerts firing and pending, and those resolved in the last day (operators, auditors)' } }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    const [active, resolved] = await Promise.all([
      listAlerts(deps.db, { states: ['firing', 'pending'] }),
      listAlerts(deps.db, { states: ['resolved'], since: new Date(Date.now() - 24 * 3600_000) }),
    ]);
    return kit.render(request, reply, 'alerts', messagesFor(request.language).alertsTitle, { active: active.alerts, resolved: resolved.alerts, evaluatedAt: active.evaluatedAt });
  });
}
