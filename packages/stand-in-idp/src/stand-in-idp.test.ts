import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_MFA, ACR_PASSWORD, DEMO_PASSWORD, ONE_TIME_CODE, startStandInIdentityProvider, type StandInIdentityProvider } from './index';

const CALLBACK = 'http://127.0.0.1:9/callback';

/** A browser without a browser: follows the provider's redirects, keeping its cookies. */
function cookieJar() {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}): Promise<Response> => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const answer = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const line of answer.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return answer;
  };
}

describe('the stand-in identity provider', () => {
  let idp: StandInIdentityProvider;
  let config: oidc.Configuration;

  beforeAll(async () => {
    idp = await startStandInIdentityProvider({ redirectUris: [CALLBACK], postLogoutRedirectUris: ['http://127.0.0.1:9/'] });
    config = await oidc.discovery(new URL(idp.issuer), idp.clientId, idp.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(() => idp.close());

  /** Signs in through the form and returns the ID token's claims. */
  async function signIn(form: Record<string, string>): Promise<oidc.IDToken | number> {
    const browse = cookieJar();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const start = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid profile groups', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    let answer = await browse(start.href);
    const loginPage = new URL(answer.headers.get('location')!, idp.issuer).href;
    expect((await (await browse(loginPage)).text())).toContain('STAND-IN');
    answer = await browse(`${loginPage}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    if (answer.status === 401) return 401;
    while (!answer.headers.get('location')!.startsWith(CALLBACK)) answer = await browse(new URL(answer.headers.get('location')!, idp.issuer).href);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(answer.headers.get('location')!), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    return tokens.claims()!;
  }

  it('signs an operator in with a password and a one-time code: acr, amr, name and groups in the ID token', async () => {
    const claims = await signIn({ username: 'paivystaja', password: DEMO_PASSWORD, code: ONE_TIME_CODE });
    expect(claims).toMatchObject({ sub: 'paivystaja', acr: ACR_MFA, amr: ['pwd', 'otp', 'mfa'], name: 'Päivi Päivystäjä', groups: ['polku-operators'] });
  });

  it('says so when a sign-in had no second factor', async () => {
    const claims = await signIn({ username: 'ilman-mfa', password: DEMO_PASSWORD });
    expect(claims).toMatchObject({ sub: 'ilman-mfa', acr: ACR_PASSWORD, amr: ['pwd'] });
  });

  it('refuses a wrong password, and a person with a second factor who leaves the code out', async () => {
    expect(await signIn({ username: 'paivystaja', password: 'wrong', code: ONE_TIME_CODE })).toBe(401);
    expect(await signIn({ username: 'paivystaja', password: DEMO_PASSWORD })).toBe(401);
  });
});
