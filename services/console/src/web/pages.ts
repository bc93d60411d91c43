import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '@polku/db';
import { PolkuError } from '@polku/service-kit';
import { listAlerts } from '../alerts/alert-store';
import type { GroupLagView } from '../ops/lag';
import { chooseLanguage, isLanguage, messagesFor, type Language } from './i18n';
import type { ConsoleSession, SessionStore } from './session-store';
import type { SignIn, SignInRefusal } from './sign-in';

export interface PagesDeps {
  sessions: SessionStore;
  /** None when no identity provider is configured: the pages then say so. */
  signIn: SignIn | undefined;
  /** The provider's origin, where the sign-out form may lead (Content-Security-Policy `form-action`). */
  identityProviderOrigin: string | undefined;
  /** The console as a browser reaches it. */
  publicUrl: string;
  db: Sql;
  lag: () => Promise<GroupLagView[]>;
}

const SESSION_COOKIE = 'polku_console';
const SIGN_IN_COOKIE = 'polku_console_sign_in';
const LANGUAGE_COOKIE = 'polku_console_lang';
const PAGES = { tags: ['pages'] };
/** Not an API route: no key; the session cookie, where a page needs one, says who calls. */
const NO_KEY = { public: true } as const;
const RETURN_TO = { type: 'string', pattern: '^/ui/[A-Za-z0-9/_?=&%.-]*$', maxLength: 500 } as const;
const REFUSALS: Record<SignInRefusal | 'SIGN_IN_FAILED', 'refusalMfaRequired' | 'refusalNoConsoleRole' | 'refusalSignInFailed'> = {
  MFA_REQUIRED: 'refusalMfaRequired',
  NO_CONSOLE_ROLE: 'refusalNoConsoleRole',
  SIGN_IN_FAILED: 'refusalSignInFailed',
};

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

const htmxFile = readFileSync(createRequire(import.meta.url).resolve('htmx.org/dist/htmx.min.js'));
const cssFile = readFileSync(join(import.meta.dirname, 'static', 'console.css'));

/**
 * The console's pages under `/ui/`: server-rendered HTML (eta through @fastify/view), htmx for
 * what changes in place, a strict Content-Security-Policy, a CSRF token on every form, Finnish and
 * English. People sign in through the organisation's identity provider; the session is
 * server-side (session-store.ts).
 */
export async function registerConsolePages(app: FastifyInstance, deps: PagesDeps): Promise<void> {
  const secure = deps.publicUrl.startsWith('https:');
  const cookieOptions = { path: '/ui', httpOnly: true, sameSite: 'lax' as const, secure };
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

    const render = (request: FastifyRequest, reply: FastifyReply, page: string, title: string, data: Record<string, unknown> = {}) => {
      const t = messagesFor(request.language);
      return reply.type('text/html; charset=utf-8').view(page, {
        t, lang: request.language, otherLang: request.language === 'fi' ? 'en' : 'fi', title, path: request.url, session: request.consoleSession, ...data,
      });
    };

    ui.get('/', { config: NO_KEY, schema: { ...PAGES, summary: 'Overview (signed in: operator or auditor)' } }, async (request, reply) => {
      if (!request.consoleSession) return reply.redirect(`/ui/sign-in?return=${encodeURIComponent('/ui/')}`, 303);
      const [{ alerts }, lag] = await Promise.all([listAlerts(deps.db, { states: ['firing', 'pending'] }), deps.lag()]);
      return render(request, reply, 'overview', messagesFor(request.language).overviewTitle, { alerts, lag });
    });

    ui.get<{ Querystring: { return?: string; refused?: keyof typeof REFUSALS } }>('/sign-in', {
      config: NO_KEY,
      schema: { ...PAGES, summary: 'The sign-in page', querystring: { type: 'object', properties: { return: RETURN_TO, refused: { type: 'string', enum: Object.keys(REFUSALS) } }, additionalProperties: false } },
    }, async (request, reply) => {
      const t = messagesFor(request.language);
      const message = request.query.refused ? t[REFUSALS[request.query.refused]] : deps.signIn ? undefined : t.signInNotConfigured;
      return render(request, reply, 'sign-in', t.signIn, { message, configured: deps.signIn !== undefined, returnTo: request.query.return ?? '/ui/' });
    });

    ui.get<{ Querystring: { return?: string } }>('/sign-in/start', {
      config: NO_KEY,
      schema: { ...PAGES, summary: 'Sends the person to the identity provider', querystring: { type: 'object', properties: { return: RETURN_TO }, additionalProperties: false } },
    }, async (request, reply) => {
      if (!deps.signIn) return reply.redirect('/ui/sign-in', 303);
      let begun;
      try {
        begun = await deps.signIn.begin();
      } catch (error) {
        if ((error as PolkuError).code !== 'IDENTITY_PROVIDER_UNAVAILABLE') throw error;
        const t = messagesFor(request.language);
        reply.code(503).header('retry-after', String((error as PolkuError).retryAfterSeconds ?? 10));
        return render(request, reply, 'sign-in', t.signIn, { message: t.identityProviderUnavailable, configured: true, returnTo: request.query.return ?? '/ui/' });
      }
      const id = await deps.sessions.beginSignIn(begun.pending, request.query.return ?? '/ui/');
      return reply.setCookie(SIGN_IN_COOKIE, id, { ...cookieOptions, maxAge: 600 }).redirect(begun.url.href, 303);
    });

    ui.get('/callback', { config: NO_KEY, schema: { ...PAGES, summary: 'Where the identity provider sends the person back' } }, async (request, reply) => {
      const pendingId = request.cookies[SIGN_IN_COOKIE];
      const pending = pendingId && deps.signIn ? await deps.sessions.takeSignIn(pendingId) : undefined;
      reply.clearCookie(SIGN_IN_COOKIE, cookieOptions);
      if (!pending || !deps.signIn) return reply.redirect('/ui/sign-in?refused=SIGN_IN_FAILED', 303);
      const outcome = await deps.signIn.finish(new URL(request.url, deps.publicUrl), pending).catch((error: unknown) => {
        if ((error as PolkuError).code === 'IDENTITY_PROVIDER_UNAVAILABLE') throw error;
        request.log.warn({ code: (error as { code?: string }).code }, 'a sign-in came back that does not hold');
        return undefined;
      });
      if (!outcome) return reply.redirect('/ui/sign-in?refused=SIGN_IN_FAILED', 303);
      if (!outcome.ok) {
        request.log.info({ refusal: outcome.refusal }, 'a sign-in was refused');
        return reply.redirect(`/ui/sign-in?refused=${outcome.refusal}`, 303);
      }
      const { id } = await deps.sessions.open(outcome.person);
      request.log.info({ roles: outcome.person.roles }, 'signed in to the console');
      return reply.setCookie(SESSION_COOKIE, id, cookieOptions).redirect(pending.returnTo, 303);
    });

    ui.post('/sign-out', { config: NO_KEY, schema: { ...PAGES, summary: 'Ends the session here and at the identity provider' } }, async (request, reply) => {
      const session = request.consoleSession;
      if (!session) return reply.redirect('/ui/signed-out', 303);
      requireCsrfToken(request, session);
      await deps.sessions.close(request.cookies[SESSION_COOKIE]!);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      const atProvider = await deps.signIn?.signOutUrl(session.idToken, new URL('/ui/signed-out', deps.publicUrl).href).catch(() => undefined);
      return reply.redirect(atProvider?.href ?? '/ui/signed-out', 303);
    });

    ui.get('/signed-out', { config: NO_KEY, schema: { ...PAGES, summary: 'Said after signing out' } }, async (request, reply) =>
      render(request, reply, 'signed-out', messagesFor(request.language).signedOut));

    ui.get<{ Params: { language: string }; Querystring: { return?: string } }>('/language/:language', {
      config: NO_KEY,
      schema: {
        ...PAGES,
        summary: 'Switches the pages to Finnish or English (kept in a cookie)',
        params: { type: 'object', properties: { language: { type: 'string', enum: ['fi', 'en'] } }, required: ['language'], additionalProperties: false },
        querystring: { type: 'object', properties: { return: RETURN_TO }, additionalProperties: false },
      },
    }, async (request, reply) => {
      const language = isLanguage(request.params.language) ? request.params.language : 'fi';
      return reply.setCookie(LANGUAGE_COOKIE, language, { ...cookieOptions, maxAge: 365 * 24 * 3600 }).redirect(request.query.return ?? '/ui/', 303);
    });

    ui.get('/static/htmx.min.js', { config: NO_KEY, schema: { ...PAGES, summary: 'htmx, the version pinned in package.json' } }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(htmxFile));
    ui.get('/static/console.css', { config: NO_KEY, schema: { ...PAGES, summary: 'The pages’ style sheet' } }, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(cssFile));
  }, { prefix: '/ui' });
}

/** Every form and htmx request of a session carries its token (`_csrf` field or `x-csrf-token` header). */
function requireCsrfToken(request: FastifyRequest, session: ConsoleSession): void {
  const header = request.headers['x-csrf-token'];
  const field = (request.body as { _csrf?: unknown } | undefined)?._csrf;
  const given = typeof header === 'string' ? header : typeof field === 'string' ? field : '';
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new PolkuError('CSRF_TOKEN_INVALID', 'The form carried no valid CSRF token of this session; reload the page and try again', { status: 403 });
  }
}
