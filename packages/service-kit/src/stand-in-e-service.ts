import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';

/**
 * For tests and the demo only (a subpath, not the package's index).
 * STAND-IN for a resident e-service (the wellbeing area's online service where a person signs
 * in with strong identification). It signs the short-lived assertions Polku trusts about that
 * person; the real e-service does the same with its own key, published as a JWKS.
 */
export interface StandInResidentEService {
  /** What a Polku service is configured with (POLKU_RESIDENT_E_SERVICE as JSON). */
  trust: { issuer: string; audience: string; keys: JSONWebKeySet };
  /** A signed assertion about one identified person (and, for a guardian, their children). */
  assert(person: PersonClaims, options?: { expiresInSeconds?: number; audience?: string; issuedAgoSeconds?: number }): Promise<string>;
  /** Its private signing key, so a demo can keep it in a git-ignored file and sign from another process. */
  signingKey: JWK;
}

export interface PersonClaims {
  identityCode: string;
  /** @defaultValue 'high' (bank credentials or mobile certificate) */
  assurance?: 'substantial' | 'high';
  /** Identity codes of the children the person is a guardian of, from the population information system. */
  guardianOf?: string[];
}

export async function standInResidentEService(issuer = 'https://asiointi.example.fi/stand-in', audience = 'polku', signingKey?: JWK): Promise<StandInResidentEService> {
  let privateJwk = signingKey;
  if (!privateJwk) {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: `stand-in-${Date.now().toString(36)}`, alg: 'EdDSA' };
  }
  const kid = privateJwk.kid ?? 'stand-in';
  const privateKey = await importJWK(privateJwk, 'EdDSA');
  const { d: _private, ...publicPart } = privateJwk;
  const publicJwk = { ...publicPart, kid, alg: 'EdDSA', use: 'sig' };
  return {
    signingKey: privateJwk,
    trust: { issuer, audience, keys: { keys: [publicJwk] } },
    async assert(person, options = {}) {
      const now = Math.floor(Date.now() / 1000) - (options.issuedAgoSeconds ?? 0);
      return new SignJWT({
        acr: `http://eidas.europa.eu/LoA/${person.assurance ?? 'high'}`,
        hetu: person.identityCode,
        ...(person.guardianOf ? { guardianship: { children: person.guardianOf, source: 'vtj' } } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setIssuer(issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresInSeconds ?? 120))
        .sign(privateKey);
    },
  };
}
