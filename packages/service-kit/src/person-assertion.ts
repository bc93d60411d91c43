import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import type { PersonAssertion } from './api-keys';
import { PolkuError } from './errors';

/** The header a resident e-service puts its signed assertion about the person in. */
export const PERSON_ASSERTION_HEADER = 'x-polku-person-assertion';

/** eIDAS levels as strong identification (Suomi.fi-tunnistus) names them in `acr`. */
const ASSURANCE_BY_ACR: Record<string, PersonAssertion['assurance']> = {
  'http://eidas.europa.eu/LoA/substantial': 'substantial',
  'http://eidas.europa.eu/LoA/high': 'high',
};

/** Longest life an assertion may have, whatever its `exp` says: it vouches for one request. */
const MAX_AGE_SECONDS = 300;

/** How a service trusts the resident e-service: its issuer id, Polku's audience, its public keys. */
export interface PersonAssertionTrust {
  issuer: string;
  audience: string;
  /** The e-service's public keys as a JWKS (EdDSA or ES256). */
  keys: JSONWebKeySet;
}

export class PersonAssertionInvalid extends PolkuError {
  constructor(reason: string) {
    super('PERSON_ASSERTION_INVALID', `The resident e-service's assertion was not accepted: ${reason}`, { status: 401 });
  }
}

export type PersonAssertionVerifier = (token: string) => Promise<PersonAssertion>;

/**
 * Verifies the e-service's short-lived JWT: signature by one of its keys, issuer, audience,
 * expiry (at most five minutes old), the assurance level of the strong identification, and the
 * person's identity code. A guardian's children come with where the claim comes from (e.g. the
 * population information system), so an auditor can see what the e-service relied on.
 * The reasons it gives name no one: they never echo a claim's value.
 */
export function personAssertionVerifier(trust: PersonAssertionTrust): PersonAssertionVerifier {
  const keys = createLocalJWKSet(trust.keys);
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: trust.issuer,
        audience: trust.audience,
        algorithms: ['EdDSA', 'ES256'],
        maxTokenAge: MAX_AGE_SECONDS,
        requiredClaims: ['exp', 'iat', 'acr', 'hetu'],
      }));
    } catch (error) {
      throw new PersonAssertionInvalid(reasonOf(error));
    }
    const assurance = typeof payload.acr === 'string' ? ASSURANCE_BY_ACR[payload.acr] : undefined;
    if (!assurance) throw new PersonAssertionInvalid('acr is not an eIDAS level of strong identification (substantial or high)');
    if (typeof payload.hetu !== 'string' || !/^\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]$/.test(payload.hetu)) throw new PersonAssertionInvalid('hetu is not an identity code');
    const person: PersonAssertion = { identityCode: payload.hetu, assurance };
    if (payload.guardianship !== undefined) person.guardianship = guardianshipOf(payload.guardianship);
    return person;
  };
}

function guardianshipOf(claim: unknown): NonNullable<PersonAssertion['guardianship']> {
  const { children, source } = (claim ?? {}) as { children?: unknown; source?: unknown };
  if (!Array.isArray(children) || !children.every((c) => typeof c === 'string') || typeof source !== 'string' || source === '') {
    throw new PersonAssertionInvalid('guardianship needs children (identity codes) and the source of the claim');
  }
  return { childIdentityCodes: children as string[], source };
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} is not as required (${error.reason})`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the e-service signed it';
  return 'it is not a valid signed JWT';
}
