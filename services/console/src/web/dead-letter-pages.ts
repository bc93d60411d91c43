import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  BulkReplayNotFound, DeadLetterNotFound, bulkProgress, deadLetterCursor, cancelBulkReplay, deadLetterDetail, dryRun, listBulkReplays, listDeadLetters, parkOne, replayOne, startBulkReplay,
  type BulkFilter, type DeadLetterFilter, type DeadLetterState,
} from '@polku/dead-letters';
import { reasonBodySchema, type AuditReason } from '@polku/operator-audit';
import { PolkuError, RequestInvalid } from '@polku/service-kit';
import { messagesFor, type Messages } from './i18n';
import { NO_KEY, PAGES, type PageKit } from './page-kit';
import type { PagesDeps } from './pages';

const READERS = ['operator', 'auditor'] as const;
/** The reasons that fit a dead letter (the key reasons belong to key revocation). */
export const DEAD_LETTER_REASONS = ['cause-fixed', 'dependency-recovered', 'poison-record', 'mistake', 'drill', 'other'] as const;
/** The ticket reference the audit takes, as the API checks it. */
const TICKET = new RegExp(reasonBodySchema.ticket.pattern);
const STATES: readonly DeadLetterState[] = ['open', 'replayed', 'parked', 'resolved'];
const PAGE_SIZE = 50;

const text = { type: 'string', maxLength: 250 } as const;
const listQuery = {
  type: 'object',
  properties: { topic: text, group: text, errorCode: text, state: { type: 'string', enum: ['', ...STATES] }, before: { type: 'string', maxLength: 400 }, done: { type: 'string', enum: ['replayed', 'parked'] } },
  additionalProperties: false,
} as const;
const idParams = {
  type: 'object',
  properties: { topic: { type: 'string', pattern: '^[a-z0-9.-]{1,249}\\.dlq$' }, partition: { type: 'string', pattern: '^[0-9]{1,6}$' }, offset: { type: 'string', pattern: '^[0-9]{1,20}$' } },
  required: ['topic', 'partition', 'offset'],
  additionalProperties: false,
} as const;
const bulkIdParams = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'], additionalProperties: false } as const;
/** Forms are checked in the handler, so that a mistake comes back as the page with the field named, not as JSON. */
const form = { type: 'object', additionalProperties: { type: 'string', maxLength: 400 } } as const;

type IdParams = { topic: string; partition: string; offset: string };
type Form = Record<string, string | undefined>;
type ListQuery = { topic?: string; group?: string; errorCode?: string; state?: string; before?: string; done?: 'replayed' | 'parked' };

/** The reason fields of a form, or which of them is wrong. */
export function reasonOf(body: Form): { reason: AuditReason } | { invalid: 'reason' | 'ticket' } {
  const code = body['reason'];
  if (!code || !(DEAD_LETTER_REASONS as readonly string[]).includes(code)) return { invalid: 'reason' };
  const ticket = body['ticket']?.trim();
  if (ticket && !TICKET.test(ticket)) return { invalid: 'ticket' };
  return { reason: { code: code as AuditReason['code'], ...(ticket ? { ticket } : {}) } };
}

const filterOf = (q: { topic?: string | undefined; group?: string | undefined; errorCode?: string | undefined }): BulkFilter => ({
  topic: q.topic ?? '', ...(q.group ? { group: q.group } : {}), ...(q.errorCode ? { errorCode: q.errorCode } : {}),
});

/** A 4xx, or a 503 to try again later: the person can act on it. Anything else goes on to the error handler. */
function actionable(error: unknown): error is PolkuError {
  const status = error instanceof PolkuError ? error.status ?? 500 : 500;
  return status < 500 || status === 503;
}

/** The refusal in the person's language, with the code for the runbook. */
function refusalText(t: Messages, error: PolkuError): string {
  return `${t.errorTexts[error.code as keyof Messages['errorTexts']] ?? t.actionRefused} (${error.code})`;
}

/** A form field that does not hold, as the problem names it (`/reason`, `/ticket`, `/topic`). */
const invalidField = (t: Messages, field: 'reason' | 'ticket' | 'topic') => new RequestInvalid([{ field: `/${field}`, in: 'body', message: t.fieldInvalid[field] }]);

/** The dead letters: list and one record for everyone on the console; replay, park and bulk replay for operators, each with a reason. */
export function registerDeadLetterPages(ui: FastifyInstance, kit: PageKit, deps: PagesDeps): void {
  const dl = deps.deadLetters;
  const maxReplays = dl.replayer.maxReplays;
  const rate = dl.defaultRatePerSecond ?? 10;
  const bulkDeps = { db: dl.db, audit: dl.audit, maxReplays };
  const idOf = (p: IdParams) => `${p.topic}/${Number(p.partition)}/${BigInt(p.offset)}`;

  /** What the bulk page shows besides its form: the topics with open dead letters, and the recent bulk replays. */
  async function bulkPageData(): Promise<{ topics: { topic: string; open: number }[]; recent: Awaited<ReturnType<typeof listBulkReplays>> }> {
    const [{ rows }, recent] = await Promise.all([
      dl.db.query<{ topic: string; open: string }>("SELECT original_topic AS topic, count(*) AS open FROM dead_letters WHERE state = 'open' GROUP BY 1 ORDER BY 1"),
      listBulkReplays(dl.db, 20),
    ]);
    return { topics: rows.map((r) => ({ topic: r.topic, open: Number(r.open) })), recent };
  }

  ui.get<{ Querystring: ListQuery }>('/dead-letters', {
    config: NO_KEY, schema: { ...PAGES, summary: 'Dead letters, newest first, by topic, consumer, error code and state (operators, auditors)', querystring: listQuery },
  }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    const q = request.query;
    const filter: DeadLetterFilter = {
      ...(q.topic ? { topic: q.topic } : {}), ...(q.group ? { group: q.group } : {}), ...(q.errorCode ? { errorCode: q.errorCode } : {}),
      ...(q.state ? { state: q.state as DeadLetterState } : {}),
    };
    const letters = await listDeadLetters(dl.db, filter, PAGE_SIZE, deadLetterCursor(q.before));
    const last = letters.at(-1);
    const next = letters.length === PAGE_SIZE && last ? new URLSearchParams({ ...stringsOf(q), before: `${last.deadLetteredAt}|${last.id}` }).toString() : undefined;
    return kit.render(request, reply, 'dead-letters', messagesFor(request.language).deadLettersTitle, { letters, query: q, states: STATES, next });
  });

  /** One dead letter's page; with `refused`, that refusal's status and notice. */
  const showOne = async (request: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, extra: Record<string, unknown> = {}, refused?: PolkuError) => {
    const t = messagesFor(request.language);
    const letter = await deadLetterDetail(dl.db, idOf(request.params));
    if (!letter) return kit.refuse(request, reply, new DeadLetterNotFound(), 'dead-letter', t.deadLetterTitle, { letter: undefined, message: t.errorTexts.DEAD_LETTER_NOT_FOUND });
    const data = { letter, reasons: DEAD_LETTER_REASONS, maxReplays, form: {}, ...extra };
    return refused ? kit.refuse(request, reply, refused, 'dead-letter', t.deadLetterTitle, data) : kit.render(request, reply, 'dead-letter', t.deadLetterTitle, data);
  };

  ui.get<{ Params: IdParams; Querystring: { done?: 'replayed' | 'parked' } }>('/dead-letters/:topic/:partition/:offset', {
    config: NO_KEY,
    schema: { ...PAGES, summary: 'One dead letter: its codes and headers, never its value (operators, auditors)', params: idParams, querystring: { type: 'object', properties: { done: { type: 'string', enum: ['replayed', 'parked'] } }, additionalProperties: false } },
  }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    return showOne(request, reply, request.query.done ? { done: request.query.done } : {});
  });

  for (const action of ['replay', 'park'] as const) {
    ui.post<{ Params: IdParams; Body: Form }>(`/dead-letters/:topic/:partition/:offset/${action}`, {
      config: NO_KEY,
      schema: { ...PAGES, summary: action === 'replay' ? 'Replays one dead letter, with a reason (operators; audited first)' : 'Parks one dead letter, with a reason (operators; audited first)', params: idParams, body: form },
    }, async (request, reply) => {
      const session = kit.allowChange(request, reply);
      if (!session) return reply;
      const t = messagesFor(request.language);
      const checked = reasonOf(request.body ?? {});
      if ('invalid' in checked) return showOne(request, reply, { failed: action, form: request.body, invalid: checked.invalid, message: t.fieldInvalid[checked.invalid] }, invalidField(t, checked.invalid));
      try {
        await (action === 'replay' ? replayOne : parkOne)(dl, idOf(request.params), kit.actorOf(session), checked.reason);
      } catch (error) {
        if (!actionable(error)) throw error;
        return showOne(request, reply, { failed: action, form: request.body, message: refusalText(t, error) }, error);
      }
      const { topic, partition, offset } = request.params;
      return reply.redirect(`/ui/dead-letters/${topic}/${partition}/${offset}?done=${action === 'replay' ? 'replayed' : 'parked'}`, 303);
    });
  }

  ui.get('/dead-letters/bulk', { config: NO_KEY, schema: { ...PAGES, summary: 'Bulk replay: choose what to replay; the recent bulk replays (operators, auditors)' } }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    return kit.render(request, reply, 'bulk', messagesFor(request.language).bulkTitle, { ...(await bulkPageData()), form: {} });
  });

  ui.post<{ Body: Form }>('/dead-letters/bulk/dry-run', {
    config: NO_KEY, schema: { ...PAGES, summary: 'Counts what a bulk replay would take; changes nothing (operators)', body: form },
  }, async (request, reply) => {
    const session = kit.allowChange(request, reply);
    if (!session) return reply;
    const t = messagesFor(request.language);
    const body = request.body ?? {};
    if (!body['topic']) {
      return kit.refuse(request, reply, invalidField(t, 'topic'), 'bulk', t.bulkTitle, { ...(await bulkPageData()), form: body, invalid: 'topic', message: t.fieldInvalid.topic });
    }
    const counted = await dryRun(dl.db, filterOf(body), maxReplays);
    return kit.render(request, reply, 'bulk-confirm', t.bulkConfirmTitle, { dryRun: counted, reasons: DEAD_LETTER_REASONS, rate, form: {} });
  });

  ui.post<{ Body: Form }>('/dead-letters/bulk', {
    config: NO_KEY, schema: { ...PAGES, summary: 'Starts a bulk replay, confirming the dry run\'s count, with a reason (operators; audited first)', body: form },
  }, async (request, reply) => {
    const session = kit.allowChange(request, reply);
    if (!session) return reply;
    const t = messagesFor(request.language);
    const body = request.body ?? {};
    const filter = filterOf(body);
    /** The confirmation again, with the current count, saying what was refused. */
    const again = async (refused: PolkuError, extra: Record<string, unknown>) =>
      kit.refuse(request, reply, refused, 'bulk-confirm', t.bulkConfirmTitle, { dryRun: await dryRun(dl.db, filter, maxReplays), reasons: DEAD_LETTER_REASONS, rate, form: body, ...extra });
    if (!filter.topic) throw invalidField(t, 'topic');
    const checked = reasonOf(body);
    if ('invalid' in checked) return again(invalidField(t, checked.invalid), { invalid: checked.invalid, message: t.fieldInvalid[checked.invalid] });
    const expectedCount = Number(body['expectedCount']);
    // Only a form changed by hand gets here without the dry run's count.
    if (!Number.isInteger(expectedCount) || expectedCount < 1) throw new RequestInvalid([{ field: '/expectedCount', in: 'body', message: 'must be the dry run\'s count' }]);
    try {
      const started = await startBulkReplay(bulkDeps, { filter, expectedCount, ratePerSecond: rate, actor: kit.actorOf(session), reason: checked.reason });
      return reply.redirect(`/ui/dead-letters/bulk/${started.id}`, 303);
    } catch (error) {
      if (!actionable(error)) throw error;
      return again(error, { message: refusalText(t, error) });
    }
  });

  /** A bulk replay's page or its figures alone; with `refused`, that refusal's status and notice. */
  const progressOf = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, page: 'bulk-progress' | 'bulk-progress-figures', extra: Record<string, unknown> = {}, refused?: PolkuError) => {
    const t = messagesFor(request.language);
    const progress = await bulkProgress(dl.db, request.params.id);
    if (!progress) return kit.refuse(request, reply, new BulkReplayNotFound(), 'bulk-progress', t.bulkProgressTitle, { progress: undefined, message: t.errorTexts.BULK_REPLAY_NOT_FOUND });
    const data = { progress, reasons: DEAD_LETTER_REASONS, form: {}, ...extra };
    return refused ? kit.refuse(request, reply, refused, page, t.bulkProgressTitle, data) : kit.render(request, reply, page, t.bulkProgressTitle, data);
  };

  ui.get<{ Params: { id: string } }>('/dead-letters/bulk/:id', {
    config: NO_KEY, schema: { ...PAGES, summary: 'A bulk replay\'s progress, with cancel (operators, auditors)', params: bulkIdParams },
  }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    return progressOf(request, reply, 'bulk-progress');
  });

  ui.get<{ Params: { id: string } }>('/dead-letters/bulk/:id/progress', {
    config: NO_KEY, schema: { ...PAGES, summary: 'The progress figures alone, which the page asks for every second while it runs (operators, auditors)', params: bulkIdParams },
  }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    return progressOf(request, reply, 'bulk-progress-figures');
  });

  ui.post<{ Params: { id: string }; Body: Form }>('/dead-letters/bulk/:id/cancel', {
    config: NO_KEY, schema: { ...PAGES, summary: 'Cancels a running bulk replay, with a reason (operators; audited first)', params: bulkIdParams, body: form },
  }, async (request, reply) => {
    const session = kit.allowChange(request, reply);
    if (!session) return reply;
    const t = messagesFor(request.language);
    const checked = reasonOf(request.body ?? {});
    if ('invalid' in checked) return progressOf(request, reply, 'bulk-progress', { form: request.body, invalid: checked.invalid, message: t.fieldInvalid[checked.invalid] }, invalidField(t, checked.invalid));
    try {
      await cancelBulkReplay(bulkDeps, request.params.id, kit.actorOf(session), checked.reason);
    } catch (error) {
      if (!actionable(error)) throw error;
      return progressOf(request, reply, 'bulk-progress', { message: refusalText(t, error) }, error);
    }
    return reply.redirect(`/ui/dead-letters/bulk/${request.params.id}`, 303);
  });
}

function stringsOf(q: ListQuery): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter(([k, v]) => typeof v === 'string' && v !== '' && k !== 'before' && k !== 'done')) as Record<string, string>;
}
