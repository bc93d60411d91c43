import * as oidc from 'openid-client';
import { PolkuError } from '@polku/service-kit';

export type ConsoleRole = 'operator' | 'auditor';

export interface SignInSettings {
  /** The organisation's identity provider (its discovery document is under `/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The console's callback, as registered at the provider. */
  redirectUri: string;
  /** `acr` values that mean a multi-factor sign-in; an `amr` naming `mfa` counts as well. */
  mfaAcrValues: string[];
  /** Directory groups whose members are operators, and auditors. */
  operatorGroups: string[];
  auditorGroups: string[];
  /** Plain HTTP to the provider: only for the stand-in on 127.0.0.1 in tests and the demo. @defaultValue false */
  allowHttp?: boolean;
}

/** What the console keeps, server-side, between sending a person to the provider and their return. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedInPerson {
  /** The provider's `sub`. */
  subject: string;
  name: string;
  roles: ConsoleRole[];
  /** Kept for signing out at the provider (`id_token_hint`). */
  idToken: string;
}

/** Why a sign-in that the provider completed still does not open the console. */
export type SignInRefusal = 'MFA_REQUIRED' | 'NO_CONSOLE_ROLE';

export type SignInOutcome = { ok: true; person: SignedInPerson } | { ok: false; refusal: SignInRefusal };

export interface SignIn {
  /** Where to send the person, and what to keep until they come back. */
  begin(): Promise<{ url: URL; pending: PendingSignIn }>;
  /** Redeems the code the provider sent back to `callbackUrl`; throws when state, nonce or code do not hold. */
  finish(callbackUrl: URL, pending: PendingSignIn): Promise<SignInOutcome>;
  /** Where to send a person who signs out, so the provider's session ends too (none if it offers no end-session endpoint). */
  signOutUrl(idToken: string, postLogoutRedirectUri: string): Promise<URL | undefined>;
}

const SCOPE = 'openid profile groups';

/**
 * The console as an OpenID Connect relying party (authorization code with PKCE, state and nonce).
 * The provider does the multi-factor authentication; the console only accepts a token that says
 * it happened (`acr` or `amr`) and maps the person's groups to its two roles. The provider is
 * asked for its configuration on first use, and again after a failure: a provider that is down
 * makes sign-in answer 503 with Retry-After, never stops the console starting.
 */
export function openSignIn(settings: SignInSettings): SignIn {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        discovered = undefined;
        throw providerUnavailable(error);
      });
    return discovered;
  };
  return {
    async begin() {
      const config = await configuration();
      const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: SCOPE,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, pending };
    },
    async finish(callbackUrl, pending) {
      const config = await configuration();
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      }).catch((error: unknown) => {
        throw isProtocolError(error) ? error : providerUnavailable(error);
      });
      const claims = tokens.claims()!;
      if (!signedInWithMfa(claims, settings.mfaAcrValues)) return { ok: false, refusal: 'MFA_REQUIRED' };
      const roles = rolesOf(claims, settings);
      if (roles.length === 0) return { ok: false, refusal: 'NO_CONSOLE_ROLE' };
      return { ok: true, person: { subject: claims.sub, name: typeof claims['name'] === 'string' ? claims['name'] : claims.sub, roles, idToken: tokens.id_token! } };
    },
    async signOutUrl(idToken, postLogoutRedirectUri) {
      const config = await configuration();
      if (!config.serverMetadata().end_session_endpoint) return undefined;
      return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri });
    },
  };
}

export function signedInWithMfa(claims: oidc.IDToken, mfaAcrValues: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr : [];
  return amr.includes('mfa') || (typeof claims.acr === 'string' && mfaAcrValues.includes(claims.acr));
}

export function rolesOf(claims: oidc.IDToken, settings: Pick<SignInSettings, 'operatorGroups' | 'auditorGroups'>): ConsoleRole[] {
  const groups = Array.isArray(claims['groups']) ? claims['groups'].filter((g): g is string => typeof g === 'string') : [];
  const roles: ConsoleRole[] = [];
  if (groups.some((g) => settings.operatorGroups.includes(g))) roles.push('operator');
  if (groups.some((g) => settings.auditorGroups.includes(g))) roles.push('auditor');
  return roles;
}

/** A token that fails its checks (state, nonce, signature, audience) is the caller's problem, not the provider being away. */
function isProtocolError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('OAUTH_');
}

function providerUnavailable(error: unknown): PolkuError {
  return new PolkuError('IDENTITY_PROVIDER_UNAVAILABLE', 'the identity provider does not answer', { status: 503, retryable: true, retryAfterSeconds: 10, cause: error });
}
