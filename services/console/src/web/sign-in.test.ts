import { DEMO_PASSWORD, ONE_TIME_CODE, ACR_MFA, startStandInIdentityProvider, type StandInIdentityProvider } from '@polku/stand-in-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignIn, type SignIn, type SignInSettings } from './sign-in';

const CALLBACK = 'http://127.0.0.1:9/ui/callback';

/** The person's browser, minus the browser: follows the provider's redirects with its cookies and fills its form. */
async function throughTheProvider(start: URL, form: Record<string, string>): Promise<URL> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const answer = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of answer.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return answer;
  };
  const login = new URL((await go(start.href)).headers.get('location')!, start).href;
  let answer = await go(`${login}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  while (!answer.headers.get('location')!.startsWith(CALLBACK)) answer = await go(new URL(answer.headers.get('location')!, start).href);
  return new URL(answer.headers.get('location')!);
}

describe('signing in to the console (against the stand-in identity provider)', () => {
  let idp: StandInIdentityProvider;
  let signIn: SignIn;
  let settings: SignInSettings;

  beforeAll(async () => {
    idp = await startStandInIdentityProvider({ redirectUris: [CALLBACK], postLogoutRedirectUris: ['http://127.0.0.1:9/ui/'] });
    settings = {
      issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUri: CALLBACK, allowHttp: true,
      mfaAcrValues: [ACR_MFA], operatorGroups: ['polku-operators'], auditorGroups: ['polku-auditors'],
    };
    signIn = openSignIn(settings);
  });
  afterAll(() => idp.close());

  const as = async (username: string, code?: string) => {
    const { url, pending } = await signIn.begin();
    const back = await throughTheProvider(url, { username, password: DEMO_PASSWORD, ...(code ? { code } : {}) });
    return { back, pending, outcome: await signIn.finish(back, pending) };
  };

  it('lets an operator in after a multi-factor sign-in, with their name and role', async () => {
    const { outcome } = await as('paivystaja', ONE_TIME_CODE);
    expect(outcome).toMatchObject({ ok: true, person: { subject: 'paivystaja', name: 'Päivi Päivystäjä', roles: ['operator'] } });
  });

  it('maps the auditors group to the auditor role', async () => {
    expect(await as('tarkastaja', ONE_TIME_CODE)).toMatchObject({ outcome: { ok: true, person: { roles: ['auditor'] } } });
  });

  it('refuses a sign-in without a second factor, and a person in no console group', async () => {
    expect((await as('ilman-mfa')).outcome).toEqual({ ok: false, refusal: 'MFA_REQUIRED' });
    expect((await as('ulkopuolinen', ONE_TIME_CODE)).outcome).toEqual({ ok: false, refusal: 'NO_CONSOLE_ROLE' });
  });

  it('takes a code only with the state it was asked with', async () => {
    const first = await as('paivystaja', ONE_TIME_CODE);
    const other = await signIn.begin();
    await expect(signIn.finish(first.back, other.pending)).rejects.toMatchObject({ code: 'OAUTH_INVALID_RESPONSE', cause: expect.objectContaining({ message: expect.stringMatching(/state/) }) });
  });

  it('builds the provider sign-out address with the ID token', async () => {
    const { outcome } = await as('paivystaja', ONE_TIME_CODE);
    const url = await signIn.signOutUrl(outcome.ok ? outcome.person.idToken : '', 'http://127.0.0.1:9/ui/');
    expect(url?.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:9/ui/');
    expect(url?.searchParams.get('id_token_hint')).toBeTruthy();
  });

  it('answers 503 IDENTITY_PROVIDER_UNAVAILABLE with Retry-After while the provider is away', async () => {
    const away = openSignIn({ ...settings, issuer: 'http://127.0.0.1:9' });
    await expect(away.begin()).rejects.toMatchObject({ code: 'IDENTITY_PROVIDER_UNAVAILABLE', status: 503, retryAfterSeconds: 10 });
  });
});
