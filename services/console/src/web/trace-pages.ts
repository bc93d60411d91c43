import type { FastifyInstance } from 'fastify';
import { PolkuError } from '@polku/service-kit';
import { TraceNotFound } from '../errors';
import type { TraceReader } from '../trace/trace-reader';
import { messagesFor } from './i18n';
import { NO_KEY, PAGES, type PageKit } from './page-kit';
import type { PagesDeps } from './pages';

const READERS = ['operator', 'auditor'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = (error: unknown) => (error as PolkuError).code === 'TRACE_NOT_FOUND';

/** Whatever id the person has (referral, event, delivery, or the submitter's Idempotency-Key), the referral it belongs to. */
async function referralOf(traces: TraceReader, id: string): Promise<string | undefined> {
  const lookups = UUID.test(id)
    ? [async () => { if (await traces.knowsReferral(id)) return id; throw new TraceNotFound(`id ${id}`); }, () => traces.referralOfEvent(id), () => traces.referralOfDelivery(id), () => traces.referralOfIdempotencyKey(id)]
    : [() => traces.referralOfIdempotencyKey(id)];
  for (const lookup of lookups) {
    try {
      return await lookup();
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }
  return undefined;
}

/** Find a referral by any id it is known by, and see its whole path: events, routing, consent, disclosures, deliveries, timers. */
export function registerTracePages(ui: FastifyInstance, kit: PageKit, deps: PagesDeps): void {
  ui.get<{ Querystring: { id?: string } }>('/trace', {
    config: NO_KEY,
    schema: {
      ...PAGES, summary: 'Find a referral by its id, an event id, a delivery id or an Idempotency-Key (operators, auditors)',
      querystring: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, additionalProperties: false },
    },
  }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    const t = messagesFor(request.language);
    const id = request.query.id?.trim();
    if (!id) return kit.render(request, reply, 'trace-search', t.traceTitle, { id: '' });
    let referralId: string | undefined;
    try {
      referralId = await referralOf(deps.traces, id);
    } catch (error) {
      if ((error as PolkuError).code !== 'IDEMPOTENCY_KEY_AMBIGUOUS') throw error;
      return kit.refuse(request, reply, error as PolkuError, 'trace-search', t.traceTitle, { id, message: t.traceAmbiguousKey });
    }
    if (!referralId) return kit.refuse(request, reply, new TraceNotFound(`id ${id}`), 'trace-search', t.traceTitle, { id, message: t.traceNotFound });
    return reply.redirect(`/ui/referrals/${referralId}`, 303);
  });

  ui.get<{ Params: { referralId: string } }>('/referrals/:referralId', {
    config: NO_KEY,
    schema: {
      ...PAGES, summary: 'One referral\'s trace: its timeline and what became of it (operators, auditors; auditors also see the disclosure entries)',
      params: { type: 'object', properties: { referralId: { type: 'string', format: 'uuid' } }, required: ['referralId'], additionalProperties: false },
    },
  }, async (request, reply) => {
    const session = kit.allow(request, reply, READERS);
    if (!session) return reply;
    const t = messagesFor(request.language);
    const view = session.roles.includes('auditor') ? 'auditor' : 'operator';
    try {
      const trace = await deps.traces.byReferral(request.params.referralId, view);
      return kit.render(request, reply, 'trace', t.traceOf(request.params.referralId.slice(0, 8)), { trace, view, codesOf });
    } catch (error) {
      if (!notFound(error)) throw error;
      return kit.refuse(request, reply, error as PolkuError, 'trace-search', t.traceTitle, { id: request.params.referralId, message: t.traceNotFound });
    }
  });
}

/** An event's codes as `key=value` pairs, nested values as compact JSON. */
export function codesOf(codes: Record<string, unknown> | undefined): string[] {
  return Object.entries(codes ?? {}).map(([key, value]) => `${key}=${typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)}`);
}
