import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditActor } from '@polku/operator-audit';
import { PolkuError } from '@polku/service-kit';
import { messagesFor, type Messages } from './i18n';
import type { ConsoleSession } from './session-store';
import type { ConsoleRole } from './sign-in';

/** Not an API route: no key; the session cookie, where a page needs one, says who calls. */
export const NO_KEY = { public: true } as const;
export const PAGES = { tags: ['pages'] };

/** What every page route shares: rendering in the person's language, who may see it, CSRF, the audit actor. */
export interface PageKit {
  render(request: FastifyRequest, reply: FastifyReply, page: string, title: string, data?: Record<string, unknown>): FastifyReply;
  /**
   * Answers a refusal: to a browser (it accepts `text/html`) the page again with its status (and
   * `Retry-After` for a 503) so the person sees what to do; to anything else the problem+json every
   * route of Polku answers, by throwing the error on to the error handler.
   */
  refuse(request: FastifyRequest, reply: FastifyReply, error: PolkuError, page: string, title: string, data?: Record<string, unknown>): FastifyReply;
  /**
   * The session when the person has one of `roles`. Otherwise the reply is answered (a sign-in
   * redirect, or a 403 page saying the role it needs) and nothing is returned: the route returns `reply`.
   */
  allow(request: FastifyRequest, reply: FastifyReply, roles: readonly ConsoleRole[]): ConsoleSession | undefined;
  requireCsrfToken(request: FastifyRequest, session: ConsoleSession): void;
  /** `allow` for operators, then the CSRF token: how every form that changes something begins. */
  allowChange(request: FastifyRequest, reply: FastifyReply): ConsoleSession | undefined;
  /** The person, for the operator audit: the identity provider's subject and the console's own organisation and system. */
  actorOf(session: ConsoleSession): AuditActor;
}

export interface PageKitOptions {
  /** Who the console's pages act as in the audit (`POLKU_CONSOLE_ORGANISATION_ID`, `POLKU_CONSOLE_SYSTEM_ID`). */
  auditIdentity: { organisationId: string; systemId: string };
}

export function pageKit(options: PageKitOptions): PageKit {
  const render: PageKit['render'] = (request, reply, page, title, data = {}) => {
    const t = messagesFor(request.language);
    return reply.type('text/html; charset=utf-8').view(page, {
      t, lang: request.language, otherLang: request.language === 'fi' ? 'en' : 'fi', title, path: request.url, session: request.consoleSession, ...data,
    }) as unknown as FastifyReply;
  };
  const refuse: PageKit['refuse'] = (request, reply, error, page, title, data = {}) => {
    if (!(request.headers.accept ?? '').includes('text/html')) throw error;
    reply.code(error.status ?? 500);
    if (error.status === 503) reply.header('retry-after', String(error.retryAfterSeconds ?? 5));
    return render(request, reply, page, title, data);
  };
  const kit: PageKit = {
    render,
    refuse,
    allow(request, reply, roles) {
      const session = request.consoleSession;
      if (!session) {
        // A GET comes back to where it was after signing in; anything else to the overview.
        const back = request.method === 'GET' ? request.url : '/ui/';
        void reply.redirect(`/ui/sign-in?return=${encodeURIComponent(back)}`, 303);
        return undefined;
      }
      if (!session.roles.some((role) => roles.includes(role))) {
        const t: Messages = messagesFor(request.language);
        refuse(request, reply, new PolkuError('FORBIDDEN', `This page is for the role ${roles.join(' or ')}`, { status: 403 }), 'not-allowed', t.notAllowedTitle, { needed: roles });
        return undefined;
      }
      return session;
    },
    requireCsrfToken,
    allowChange(request, reply) {
      const session = kit.allow(request, reply, ['operator']);
      if (!session) return undefined;
      try {
        requireCsrfToken(request, session);
      } catch (error) {
        // A form from before a new sign-in carries the old session's token: say so, and change nothing.
        const t = messagesFor(request.language);
        refuse(request, reply, error as PolkuError, 'refused', t.csrfTitle, { message: t.csrfText });
        return undefined;
      }
      return session;
    },
    actorOf: (session) => ({ person: { subject: auditSubject(session.subject) }, ...options.auditIdentity }),
  };
  return kit;
}

/**
 * The provider's `sub` as the audit names it: as it is when it fits an opaque reference, else its
 * SHA-256 (a provider whose subjects are e-mail addresses still gets a stable, nameless reference).
 */
export function auditSubject(subject: string): string {
  return /^[A-Za-z0-9_.:-]{1,128}$/.test(subject) ? subject : `sha256:${createHash('sha256').update(subject).digest('hex')}`;
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
