import type { FastifyInstance } from 'fastify';
import { auditCursor, listOperatorActions } from '../audit/audit-trail';
import { messagesFor } from './i18n';
import { NO_KEY, PAGES, type PageKit } from './page-kit';
import type { PagesDeps } from './pages';

/** The operators' audit trail: auditors only; an operator does not read the record of their own actions here. */
export function registerAuditPage(ui: FastifyInstance, kit: PageKit, deps: PagesDeps): void {
  ui.get<{ Querystring: { before?: string } }>('/audit', {
    config: NO_KEY,
    schema: { ...PAGES, summary: 'The operators\' audit trail, newest first (auditors)', querystring: { type: 'object', properties: { before: { type: 'string', maxLength: 200 } }, additionalProperties: false } },
  }, async (request, reply) => {
    if (!kit.allow(request, reply, ['auditor'])) return reply;
    const before = auditCursor(request.query.before);
    const page = await listOperatorActions(deps.db, { limit: 50, ...(before ? { before } : {}) });
    return kit.render(request, reply, 'audit', messagesFor(request.language).auditTitle, { page });
  });
}
