import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { createHttpApp, createLogger, registerApiKeyAuth, sqlApiKeyStore } from '@polku/service-kit';
import { ACR_MFA, DEMO_PASSWORD, ONE_TIME_CODE, startStandInIdentityProvider, type StandInIdentityProvider } from '@polku/stand-in-idp';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsolePages } from './pages';
import { sqlSessionStore } from './session-store';
import { openSignIn } from './sign-in';

const CONSOLE = 'http://127.0.0.1:9';

/** A dependency these tests never reach: touching it fails the test by name. */
function notReadHere<T extends object>(name: string, settings: Record<string, unknown> = {}): T {
  return new Proxy({} as T, {
    get: (_target, key) => {
      if (typeof key === 'string' && key in settings) return settings[key];
      // A promise check (`then`) is not a read.
      if (key === 'then') return undefined;
      throw new Error(`${name}.${String(key)} is not read by the sign-in tests`);
    },
  });
}

/** The cookies a browser would keep for the console, from its answers' Set-Cookie. */
function cookiesOf(answer: { headers: Record<string, unknown> }, jar: Map<string, string> = new Map()): Map<string, string> {
  const lines = answer.headers['set-cookie'];
  for (const line of (Array.isArray(lines) ? lines : lines ? [lines] : []) as string[]) {
    const pair = line.split(';')[0]!;
    const value = pair.slice(pair.indexOf('=') + 1);
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(pair.slice(0, pair.indexOf('=')));
    else jar.set(pair.slice(0, pair.indexOf('=')), value);
  }
  return jar;
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Through the provider's redirects and form, as the person's browser goes; returns where it sends them back. */
async function atTheProvider(start: string, form: Record<string, string>): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const answer = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(jar) } });
    for (const line of answer.headers.getSetCookie()) jar.set(line.split(';')[0]!.split('=')[0]!, line.split(';')[0]!.split('=').slice(1).join('='));
    return answer;
  };
  const login = new URL((await go(start)).headers.get('location')!, start).href;
  let answer = await go(`${login}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  while (!answer.headers.get('location')!.startsWith(CONSOLE)) answer = await go(new URL(answer.headers.get('location')!, start).href);
  return answer.headers.get('location')!;
}

describe('the console pages: sign-in, session, sign-out, language', () => {
  let idp: StandInIdentityProvider;
  let own: { url: string; drop: () => Promise<void> };
  let db: Database;
  let app: FastifyInstance;
  const logger = createLogger({ service: 'console-pages-test', level: 'silent' });

  beforeAll(async () => {
    idp = await startStandInIdentityProvider({ redirectUris: [`${CONSOLE}/ui/callback`], postLogoutRedirectUris: [`${CONSOLE}/ui/signed-out`] });
    own = await freshTestDatabase(process.env['DATABASE_URL']!, 'console');
    db = createDatabase({ url: own.url, applicationName: 'console-pages-test', logger });
    app = await createHttpApp({ logger, title: 'console pages test', version: '0' });
    registerApiKeyAuth(app, sqlApiKeyStore(db));
    await registerConsolePages(app, {
      sessions: sqlSessionStore(db),
      signIn: openSignIn({ issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUri: `${CONSOLE}/ui/callback`, mfaAcrValues: [ACR_MFA], operatorGroups: ['polku-operators'], auditorGroups: ['polku-auditors'], allowHttp: true }),
      identityProviderOrigin: new URL(idp.issuer).origin,
      publicUrl: CONSOLE,
      db,
      lag: async () => [{ groupId: 'projection.router.g1', lag: 0, oldestUnconsumedAgeSeconds: null, partitions: [] }],
      auditIdentity: { organisationId: 'polku-operations', systemId: 'console-pages' },
      services: {},
      readiness: {},
      queues: async () => [],
      // The screens behind these are tried over the running backbone (test/console-pages.test.ts).
      traces: notReadHere('traces'),
      deadLetters: { db, audit: notReadHere('audit'), replayer: notReadHere('replayer', { maxReplays: 3 }) },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await own?.drop();
    await idp?.close();
  });

  /** Signs in as `username` the whole way; returns the browser's cookies for the console. */
  async function signIn(username: string, code: string | undefined = ONE_TIME_CODE): Promise<{ jar: Map<string, string>; landedAt: string }> {
    const start = await app.inject({ method: 'GET', url: '/ui/sign-in/start?return=%2Fui%2F' });
    expect(start.statusCode).toBe(303);
    const jar = cookiesOf(start);
    const back = await atTheProvider(start.headers.location as string, { username, password: DEMO_PASSWORD, ...(code ? { code } : {}) });
    const callback = await app.inject({ method: 'GET', url: back.slice(CONSOLE.length), headers: { cookie: cookieHeader(jar) } });
    expect(callback.statusCode).toBe(303);
    return { jar: cookiesOf(callback, jar), landedAt: callback.headers.location as string };
  }

  it('sends a person without a session to the sign-in page, in Finnish unless the browser asks for English', async () => {
    const overview = await app.inject({ method: 'GET', url: '/ui/' });
    expect(overview.statusCode).toBe(303);
    expect(overview.headers.location).toBe('/ui/sign-in?return=%2Fui%2F');
    const fi = await app.inject({ method: 'GET', url: '/ui/sign-in' });
    expect(fi.statusCode).toBe(200);
    expect(fi.headers['content-type']).toContain('text/html');
    expect(fi.body).toContain('<html lang="fi">');
    expect(fi.body).toContain('Kirjaudu sisään');
    const en = await app.inject({ method: 'GET', url: '/ui/sign-in', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Sign in');
  });

  it('answers every page with a strict Content-Security-Policy and no framing', async () => {
    const page = await app.inject({ method: 'GET', url: '/ui/sign-in' });
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`form-action 'self' ${new URL(idp.issuer).origin}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('signs an operator in through the provider, shows the pages of the role under their name, and signs them out there too', async () => {
    const { jar, landedAt } = await signIn('paivystaja');
    expect(landedAt).toBe('/ui/');
    expect(jar.get('polku_console')).toMatch(/^[\w-]{43}$/);
    const overview = await app.inject({ method: 'GET', url: '/ui/', headers: { cookie: cookieHeader(jar) } });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('Päivi Päivystäjä');
    const lag = await app.inject({ method: 'GET', url: '/ui/lag', headers: { cookie: cookieHeader(jar) } });
    expect(lag.body).toContain('projection.router.g1');
    // The audit trail is the auditors': an operator is told which role it needs.
    const audit = await app.inject({ method: 'GET', url: '/ui/audit', headers: { cookie: cookieHeader(jar), accept: 'text/html' } });
    expect(audit.statusCode).toBe(403);
    expect(audit.body).toContain('tarkastaja');
    // A client that does not ask for HTML gets the problem every route answers.
    const asProblem = await app.inject({ method: 'GET', url: '/ui/audit', headers: { cookie: cookieHeader(jar) } });
    expect(asProblem.headers['content-type']).toContain('application/problem+json');
    expect(asProblem.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    // A form of another session (a stale tab) changes nothing, and the page says why.
    const stale = await app.inject({
      method: 'POST', url: '/ui/dead-letters/bulk/dry-run',
      headers: { cookie: cookieHeader(jar), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, payload: '_csrf=stale&topic=polku.referral.events.v1',
    });
    expect(stale.statusCode).toBe(403);
    expect(stale.body).toContain('Lomake on vanhentunut');

    const forged = await app.inject({ method: 'POST', url: '/ui/sign-out', headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: '_csrf=guess' });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['content-type']).toContain('application/problem+json');
    expect(forged.json()).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });

    const token = /name="_csrf" value="([^"]+)"/.exec(overview.body)![1]!;
    const out = await app.inject({ method: 'POST', url: '/ui/sign-out', headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${token}` });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toContain(`${idp.issuer}/session/end`);
    const after = await app.inject({ method: 'GET', url: '/ui/', headers: { cookie: cookieHeader(jar) } });
    expect(after.statusCode).toBe(303);
  });

  it('refuses a sign-in without a second factor, saying why', async () => {
    const { landedAt, jar } = await signIn('ilman-mfa', undefined);
    expect(landedAt).toBe('/ui/sign-in?refused=MFA_REQUIRED');
    expect(jar.has('polku_console')).toBe(false);
    const page = await app.inject({ method: 'GET', url: landedAt });
    expect(page.body).toContain('monivaiheista tunnistautumista');
  });

  it('takes a callback only once, and only with the sign-in cookie it began with', async () => {
    const start = await app.inject({ method: 'GET', url: '/ui/sign-in/start' });
    const back = await atTheProvider(start.headers.location as string, { username: 'paivystaja', password: DEMO_PASSWORD, code: ONE_TIME_CODE });
    const without = await app.inject({ method: 'GET', url: back.slice(CONSOLE.length) });
    expect(without.headers.location).toBe('/ui/sign-in?refused=SIGN_IN_FAILED');
  });

  it('keeps the language switched to, and sends back only to a page of its own', async () => {
    const switched = await app.inject({ method: 'GET', url: '/ui/language/en?return=%2Fui%2Fsign-in' });
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe('/ui/sign-in');
    const page = await app.inject({ method: 'GET', url: '/ui/sign-in', headers: { cookie: cookieHeader(cookiesOf(switched)), 'accept-language': 'fi' } });
    expect(page.body).toContain('<html lang="en">');
    const elsewhere = await app.inject({ method: 'GET', url: '/ui/language/en?return=%2F%2Fevil.example%2F' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('serves htmx and the style sheet from itself', async () => {
    const htmx = await app.inject({ method: 'GET', url: '/ui/static/htmx.min.js' });
    expect(htmx.statusCode).toBe(200);
    expect(htmx.body).toContain('htmx');
    expect((await app.inject({ method: 'GET', url: '/ui/static/console.css' })).statusCode).toBe(200);
  });
});
