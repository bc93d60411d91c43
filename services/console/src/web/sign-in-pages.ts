import type { FastifyInstance } from 'fastify';
import { PolkuError } from '@polku/service-kit';
import { isLanguage, messagesFor } from './i18n';
import { NO_KEY, PAGES, type PageKit } from './page-kit';
import type { PagesDeps } from './pages';
import type { SignInRefusal } from './sign-in';

export const SESSION_COOKIE = 'polku_console';
export const LANGUAGE_COOKIE = 'polku_console_lang';
const SIGN_IN_COOKIE = 'polku_console_sign_in';
/** Where a person may be sent back to: a page of the console, never another site. */
export const RETURN_TO = { type: 'string', pattern: '^/ui/[A-Za-z0-9/_?=&%.-]*$', maxLength: 500 } as const;
const REFUSALS: Record<SignInRefusal | 'SIGN_IN_FAILED', 'refusalMfaRequired' | 'refusalNoConsoleRole' | 'refusalSignInFailed'> = {
  MFA_REQUIRED: 'refusalMfaRequired',
  NO_CONSOLE_ROLE: 'refusalNoConsoleRole',
  SIGN_IN_FAILED: 'refusalSignInFailed',
};

/** Sign-in through the identity provider, sign-out here and there, and the language switch. */
export function registerSignInPages(ui: FastifyInstance, kit: PageKit, deps: PagesDeps): void {
  const secure = deps.publicUrl.startsWith('https:');
  const cookieOptions = { path: '/ui', httpOnly: true, sameSite: 'lax' as const, secure };

  ui.get<{ Querystring: { return?: string; refused?: keyof typeof REFUSALS } }>('/sign-in', {
    config: NO_KEY,
    schema: { ...PAGES, summary: 'The sign-in page', querystring: { type: 'object', properties: { return: RETURN_TO, refused: { type: 'string', enum: Object.keys(REFUSALS) } }, additionalProperties: false } },
  }, async (request, reply) => {
    const t = messagesFor(request.language);
    const message = request.query.refused ? t[REFUSALS[request.query.refused]] : deps.signIn ? undefined : t.signInNotConfigured;
    return kit.render(request, reply, 'sign-in', t.signIn, { message, configured: deps.signIn !== undefined, returnTo: request.query.return ?? '/ui/' });
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
      return kit.render(request, reply, 'sign-in', t.signIn, { message: t.identityProviderUnavailable, configured: true, returnTo: request.query.return ?? '/ui/' });
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
    kit.requireCsrfToken(request, session);
    await deps.sessions.close(request.cookies[SESSION_COOKIE]!);
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    const atProvider = await deps.signIn?.signOutUrl(session.idToken, new URL('/ui/signed-out', deps.publicUrl).href).catch(() => undefined);
    return reply.redirect(atProvider?.href ?? '/ui/signed-out', 303);
  });

  ui.get('/signed-out', { config: NO_KEY, schema: { ...PAGES, summary: 'Said after signing out' } }, async (request, reply) =>
    kit.render(request, reply, 'signed-out', messagesFor(request.language).signedOut));

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
}
