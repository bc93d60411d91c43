import type { FastifyInstance } from 'fastify';
import { requireRole } from '@polku/service-kit';
import { bulkProgress, cancelBulkReplay, dryRun, listBulkReplays, startBulkReplay, type BulkFilter } from '../bulk-replay';
import { BulkReplayNotFound } from '../errors';
import { auditReason, type DeadLetterRouteDeps, type Reason } from './deps';
import { actionProblems, bulkFilterProperties, bulkIdParamsSchema, bulkProgressSchema, dryRunSchema, problem, readProblems, reasonBody } from './schemas';

const filterBody = { type: 'object', properties: bulkFilterProperties, required: ['topic'], additionalProperties: false } as const;

/** Bulk replay: dry run, confirm, progress, cancel. Reading progress is for auditors too. */
export function registerBulkRoutes(app: FastifyInstance, deps: DeadLetterRouteDeps): void {
  const { maxReplays } = deps.replayer;
  const defaultRate = deps.defaultRatePerSecond ?? 10;
  const maxRate = deps.maxRatePerSecond ?? 200;

  app.post<{ Body: BulkFilter }>('/v1/dead-letters/bulk-replays/dry-run', {
    schema: {
      tags: ['dead-letters'], summary: 'Count what a bulk replay would take (operators)', body: filterBody,
      description: 'The open dead letters of one topic matching the filter, by error code and group. Changes nothing; confirm with its `matched` as `expectedCount`.',
      response: { 200: { description: 'The counts', ...dryRunSchema }, 400: actionProblems[400], 401: actionProblems[401], 403: actionProblems[403], 503: readProblems[503] },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    return dryRun(deps.db, request.body, maxReplays);
  });

  app.post<{ Body: BulkFilter & Reason & { expectedCount: number; ratePerSecond?: number } }>('/v1/dead-letters/bulk-replays', {
    schema: {
      tags: ['dead-letters'], summary: 'Start a bulk replay, confirming a dry run\'s count (operators)',
      body: {
        type: 'object',
        properties: {
          ...bulkFilterProperties, ...reasonBody.properties,
          expectedCount: { type: 'integer', minimum: 1, description: 'The dry run\'s `matched`: refused (BULK_REPLAY_COUNT_CHANGED) when the set is no longer that' },
          ratePerSecond: { type: 'integer', minimum: 1, maximum: maxRate, description: `Records per second (default ${defaultRate})` },
        },
        required: ['topic', 'expectedCount', 'reason'],
        additionalProperties: false,
      },
      response: { 202: { description: 'Started: follow its progress', ...bulkProgressSchema }, 409: problem('BULK_REPLAY_COUNT_CHANGED or BULK_REPLAY_RUNNING'), ...actionProblems },
    },
  }, async (request, reply) => {
    requireRole(request.caller, 'operator');
    const { expectedCount, ratePerSecond, reason, ticket, ...filter } = request.body;
    const started = await startBulkReplay({ db: deps.db, audit: deps.audit, maxReplays }, {
      filter, expectedCount, ratePerSecond: ratePerSecond ?? defaultRate, actor: request.caller, reason: auditReason({ reason, ...(ticket ? { ticket } : {}) }),
    });
    return reply.status(202).send(started);
  });

  app.get('/v1/dead-letters/bulk-replays', {
    schema: {
      tags: ['dead-letters'], summary: 'Recent bulk replays (operators, auditors)',
      response: { 200: { description: 'Newest first', type: 'object', properties: { bulkReplays: { type: 'array', items: bulkProgressSchema } }, required: ['bulkReplays'] }, ...readProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator', 'auditor');
    return { bulkReplays: await listBulkReplays(deps.db, 50) };
  });

  app.get<{ Params: { id: string } }>('/v1/dead-letters/bulk-replays/:id', {
    schema: {
      tags: ['dead-letters'], summary: 'A bulk replay\'s progress (operators, auditors)', params: bulkIdParamsSchema,
      response: { 200: { description: 'Its progress', ...bulkProgressSchema }, 404: problem('BULK_REPLAY_NOT_FOUND'), ...readProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator', 'auditor');
    const progress = await bulkProgress(deps.db, request.params.id);
    if (!progress) throw new BulkReplayNotFound();
    return progress;
  });

  app.post<{ Params: { id: string }; Body: Reason }>('/v1/dead-letters/bulk-replays/:id/cancel', {
    schema: {
      tags: ['dead-letters'], summary: 'Cancel a running bulk replay (operators)', params: bulkIdParamsSchema, body: reasonBody,
      response: { 200: { description: 'Cancelled: what it replayed stays replayed', ...bulkProgressSchema }, 404: problem('BULK_REPLAY_NOT_FOUND'), 409: problem('BULK_REPLAY_NOT_RUNNING'), ...actionProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    return cancelBulkReplay({ db: deps.db, audit: deps.audit, maxReplays }, request.params.id, request.caller, auditReason(request.body));
  });
}
