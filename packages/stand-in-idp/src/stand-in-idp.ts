import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { memoryAdapter } from './memory-adapter';
import { DEMO_PASSWORD, DEMO_PEOPLE, ONE_TIME_CODE, type StandInPerson } from './people';
import { loginPage, logoutPage } from './pages';

/** What a sign-in with a second factor is stamped with (`acr`); the console may require it. */
export const ACR_MFA = 'urn:polku:stand-in:loa:mfa';
/** What a sign-in with a password alone is stamped with. */
export const ACR_PASSWORD = 'urn:polku:stand-in:loa:pwd';

export interface StandInIdentityProvider {
  /** The issuer URL, which is also where its discovery document is (`/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  people: StandInPerson[];
  close(): Promise<void>;
}

export interface StandInOptions {
  /** The console's callback URLs. */
  redirectUris: string[];
  /** Where the console may send a person after sign-out. */
  postLogoutRedirectUris: string[];
  /** @defaultValue a free port on 127.0.0.1 */
  port?: number;
  /** @defaultValue DEMO_PEOPLE */
  people?: StandInPerson[];
  /** @defaultValue 'polku-console' */
  clientId?: string;
  /** @defaultValue a random one */
  clientSecret?: string;
}

/**
 * STAND-IN for a wellbeing area's own identity provider, for tests and the demo only. It speaks
 * OpenID Connect (oidc-provider, authorization code with PKCE), signs people in with a password
 * and, for those who have one, a one-time code, and says so in `acr` and `amr`; their groups come
 * in the `groups` claim. The real provider does the multi-factor authentication its own way;
 * Polku only reads what the token says.
 */
export async function startStandInIdentityProvider(options: StandInOptions): Promise<StandInIdentityProvider> {
  const people = options.people ?? DEMO_PEOPLE;
  const clientId = options.clientId ?? 'polku-console';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, await configuration(people, { ...options, clientId, clientSecret }));
  const oidc = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!interaction) return void oidc(req, res);
    const handle = req.method === 'POST' && interaction[2] ? finishLogin(provider, people, req, res) : showLogin(provider, req, res);
    handle.catch((error: unknown) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`stand-in identity provider: ${(error as Error).message}`);
    });
  });
  return {
    issuer,
    clientId,
    clientSecret,
    people,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function configuration(people: StandInPerson[], options: StandInOptions & { clientId: string; clientSecret: string }): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `stand-in-${Date.now().toString(36)}`, alg: 'RS256', use: 'sig' };
  return {
    clients: [{
      client_id: options.clientId,
      client_secret: options.clientSecret,
      redirect_uris: options.redirectUris,
      post_logout_redirect_uris: options.postLogoutRedirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    jwks: { keys: [signingKey] },
    adapter: memoryAdapter(),
    // Lifetimes as a wellbeing area might set them: a working day's session, short tokens.
    ttl: { Session: 8 * 3600, Grant: 8 * 3600, Interaction: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'groups'],
    // acr and amr with every sign-in, as a real provider sends them, not only when a client asks for them.
    claims: { acr: null, amr: null, auth_time: null, iss: null, sid: null, openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name'], groups: ['groups'] },
    // The groups are in the ID token itself, as Entra ID and Keycloak put them there.
    conformIdTokenClaims: false,
    acrValues: [ACR_MFA, ACR_PASSWORD],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource: (ctx: KoaContextWithOIDC, form: string) => void (ctx.body = logoutPage(form)) },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const person = people.find((p) => p.username === id);
      if (!person) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: person.name, groups: person.groups }) };
    },
    // A first-party client: the person is not asked to consent to the console reading their groups.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile groups');
      await grant.save();
      return grant;
    },
  };
}

async function showLogin(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(loginPage(details.uid));
}

async function finishLogin(provider: Provider, people: StandInPerson[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const form = new URLSearchParams(await readBody(req));
  const person = people.find((p) => p.username === form.get('username'));
  const codeGiven = (form.get('code') ?? '').trim() !== '';
  const refused = !person || form.get('password') !== DEMO_PASSWORD || (person.mfa && form.get('code') !== ONE_TIME_CODE);
  if (refused) {
    res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(details.uid, true));
    return;
  }
  const mfa = person.mfa && codeGiven;
  await provider.interactionFinished(req, res, {
    login: { accountId: person.username, acr: mfa ? ACR_MFA : ACR_PASSWORD, amr: mfa ? ['pwd', 'otp', 'mfa'] : ['pwd'] },
  }, { mergeWithLastSubmission: false });
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return body;
}
