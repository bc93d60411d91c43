import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance } from 'fastify';
import type { Database } from '@polku/db';
import type { DeadLetterRouteDeps } from '@polku/dead-letters';
import type { GroupLagView } from '../ops/lag';
import type { QueueView } from '../ops/queues';
import type { TraceReader } from '../trace/trace-reader';
import { registerAuditPage } from './audit-page';
import { registerDeadLetterPages } from './dead-letter-pages';
import { chooseLanguage, type Language } from './i18n';
import { registerOpsPages } from './ops-pages';
import { registerOverviewPage } from './overview-page';
import { NO_KEY, PAGES, pageKit } from './page-kit';
import type { ConsoleSession, SessionStore } from './session-store';
import type { SignIn } from './sign-in';
import { LANGUAGE_COOKIE, SESSION_COOKIE, registerSignInPages } from './sign-in-pages';
import { registerTracePages } from './trace-pages';

export interface PagesDeps {
  sessions: SessionStore;
  /** None when no identity provider is configured: the pages then say so. */
  signIn: SignIn | undefined;
  /** The provider's origin, where the sign-out form may lead (Content-Security-Policy `form-action`). */
  identityProviderOrigin: string | undefined;
  /** The console as a browser reaches it. */
  publicUrl: string;
  /** Who the pages act as in the operator audit, beside the person's subject. */
  auditIdentity: { organisationId: string; systemId: string };
  /** Each backbone service's base URL, for the overview's readiness. */
  services: Readonly<Record<string, string>>;
  /** How often the open overview gets its figures again. @defaultValue 5000 */
  overviewIntervalMs?: number;
  db: Database;
  lag: () => Promise<GroupLagView[]>;
  queues: () => Promise<QueueView[]>;
  traces: TraceReader;
  deadLetters: DeadLetterRouteDeps;
  /** The console's own readiness checks, shown on the overview beside the services'. */
  readiness: Record<string, () => Promise<void>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No API key asked (service-kit's isPublicRoute). */
    public?: boolean;
  }
  interface FastifyRequest {
    consoleSession: ConsoleSession | undefined;
    language: Language;
  }
}

const require = createRequire(import.meta.url);
const STATIC: Record<string, { type: string; body: Buffer; summary: string }> = {
  'htmx.min.js': { type: 'text/javascript', body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')), summary: 'htmx, the version pinned in package.json' },
  'sse.js': { type: 'text/javascript', body: readFileSync(require.resolve('htmx-ext-sse/dist/sse.min.js')), summary: 'htmx’s server-sent events extension, pinned in package.json' },
  'console.css': { type: 'text/css', body: readFileSync(join(import.meta.dirname, 'static', 'console.css')), summary: 'The pages’ style sheet' },
};

/**
 * The console's pages under `/ui/`: server-rendered HTML (eta through @fastify/view), htmx for
 * what changes in place, a strict Content-Security-Policy, a CSRF token on every form, Finnish and
 * English. People sign in through the organisation's identity provider; the session is
 * server-side (session-store.ts). One file per screen registers its routes (docs/console.md).
 */
export async function registerConsolePages(app: FastifyInstance, deps: PagesDeps): Promise<void> {
  await app.register(async (ui) => {
    await ui.register(cookie);
    await ui.register(formbody);
    await ui.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'", ...(deps.identityProviderOrigin ? [deps.identityProviderOrigin] : [])],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
    });
    await ui.register(view, { engine: { eta: new Eta({ views: join(import.meta.dirname, 'views'), autoEscape: true }) }, root: join(import.meta.dirname, 'views'), viewExt: 'eta' });
    ui.decorateRequest('consoleSession', undefined);
    ui.decorateRequest('language', 'fi');
    ui.addHook('preHandler', async (request) => {
      const id = request.cookies[SESSION_COOKIE];
      request.consoleSession = id ? await deps.sessions.find(id) : undefined;
      request.language = chooseLanguage(request.headers['accept-language'], request.cookies[LANGUAGE_COOKIE]);
    });

    const kit = pageKit({ auditIdentity: deps.auditIdentity });
    registerSignInPages(ui, kit, deps);
    registerOverviewPage(ui, kit, deps);
    registerTracePages(ui, kit, deps);
    registerDeadLetterPages(ui, kit, deps);
    registerOpsPages(ui, kit, deps);
    registerAuditPage(ui, kit, deps);

    for (const [name, file] of Object.entries(STATIC)) {
      ui.get(`/static/${name}`, { config: NO_KEY, schema: { ...PAGES, summary: file.summary } }, async (_request, reply) =>
        reply.type(`${file.type}; charset=utf-8`).header('cache-control', 'public, max-age=3600').send(file.body));
    }
  }, { prefix: '/ui' });
}
