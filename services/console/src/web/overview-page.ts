import type { FastifyInstance } from 'fastify';
import { messagesFor } from './i18n';
import { sharedOverview, sparkBars } from './overview-figures';
import { NO_KEY, PAGES, type PageKit } from './page-kit';
import type { PagesDeps } from './pages';
import { SESSION_COOKIE } from './sign-in-pages';

const READERS = ['operator', 'auditor'] as const;

/**
 * The overview: the figures an operator on call looks at first, rendered with the page and then
 * sent again as server-sent events (htmx's sse extension swaps them in) every few seconds.
 */
export function registerOverviewPage(ui: FastifyInstance, kit: PageKit, deps: PagesDeps): void {
  const intervalMs = deps.overviewIntervalMs ?? 5000;
  const figures = sharedOverview({ db: deps.db, services: deps.services, readiness: deps.readiness }, intervalMs);
  const streams = new Set<() => void>();
  // An open stream would keep the server from closing: end every one first.
  ui.addHook('preClose', async () => { for (const end of streams) end(); });

  const figuresData = async () => ({ figures: await figures(), sparkBars });

  ui.get('/', { config: NO_KEY, schema: { ...PAGES, summary: 'Overview (operators, auditors)' } }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    return kit.render(request, reply, 'overview', messagesFor(request.language).overviewTitle, await figuresData());
  });

  ui.get('/overview/stream', { config: NO_KEY, schema: { ...PAGES, summary: 'The overview\'s figures as server-sent events (operators, auditors)' } }, async (request, reply) => {
    if (!kit.allow(request, reply, READERS)) return reply;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    // Sends the headers now (Node holds them until the first write), and tells the browser how soon to come back after a break.
    reply.raw.write(`retry: ${intervalMs}\n\n`);
    const t = messagesFor(request.language);
    let timer: NodeJS.Timeout | undefined;
    const end = () => {
      clearTimeout(timer);
      streams.delete(end);
      reply.raw.end();
    };
    streams.add(end);
    request.raw.on('close', end);
    const cookie = request.cookies[SESSION_COOKIE];
    const send = async () => {
      // A session that ended (signed out, idle, too old) gets no more figures; while the overview is open, it is in use.
      // A database that does not answer ends nothing: the figures cannot be read either, and the next round asks again.
      if (!cookie || !(await deps.sessions.find(cookie).then(Boolean, () => true))) return end();
      try {
        const html = await ui.view('overview-figures', { ...(await figuresData()), t, lang: request.language });
        reply.raw.write(`event: figures\n${html.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`);
      } catch (error) {
        // The page keeps what it shows; the next round tries again.
        request.log.warn({ err: error }, 'overview figures not read');
      }
      if (streams.has(end)) timer = setTimeout(send, intervalMs);
    };
    timer = setTimeout(send, intervalMs);
  });
}
