import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What an organisation system may do with the backbone. `backbone` is for Polku's own
 * services calling each other (e.g. asking the consent service for a decision).
 */
export type CallerRole = 'submitter' | 'recipient' | 'operator' | 'auditor' | 'resident' | 'backbone';

/** Who is calling: resolved from an API key, never from anything the caller asserts. */
export interface Caller {
  keyId: string;
  organisationId: string;
  systemId: string;
  roles: CallerRole[];
  /**
   * The catalogue services (`services[].id`) the system acts for: a recipient reads a referral
   * only for these. Empty for keys that act for no service (operators, auditors, Polku's own).
   */
  services: string[];
  /** A person the resident e-service vouches for in this request, from its verified assertion. */
  person?: PersonAssertion;
}

/**
 * What the resident e-service's signed assertion says about the person it acts for: set on the
 * caller only after the assertion was verified, and only for a key with the `resident` role.
 */
export interface PersonAssertion {
  /** From the strong identification. */
  identityCode: string;
  /** eIDAS level of that identification. */
  assurance: 'substantial' | 'high';
  /** Children the person is a guardian of, and where that claim comes from (e.g. the population information system). */
  guardianship?: { childIdentityCodes: string[]; source: string };
}

/** What a key is issued for; `services` defaults to none. */
export type KeyGrant = Omit<Caller, 'keyId' | 'services' | 'person'> & { services?: string[]; expiresAt?: Date };

/**
 * Where keys are kept: PostgreSQL's `api_keys` table (infra/migrations). Any object that runs
 * SQL will do (`@polku/db`'s Database or one of its transactions); its errors pass through, so a
 * database that is down answers 503, never "bad key".
 */
export interface KeyTable {
  query<Row>(text: string, values?: readonly unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Splits `pk_<keyId>.<secret>`; anything else is not a key. */
function parseKey(presented: string): { keyId: string; secret: string } | undefined {
  const match = /^pk_([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/.exec(presented);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** API keys of organisation systems, stored hashed. */
export interface ApiKeyStore {
  issue(grant: KeyGrant): Promise<{ key: string; caller: Caller }>;
  /** The caller a presented key belongs to; undefined for anything but a live key. */
  verify(presented: string): Promise<Caller | undefined>;
  revoke(keyId: string): Promise<void>;
}

interface KeyRow {
  organisation_id: string;
  system_id: string;
  roles: CallerRole[];
  services: string[];
  secret_sha256: Buffer;
}

export function sqlApiKeyStore(db: KeyTable): ApiKeyStore {
  return {
    async issue({ expiresAt, services = [], ...caller }) {
      const keyId = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
      const secret = randomBytes(32).toString('base64url');
      await db.query(
        'INSERT INTO api_keys (key_id, organisation_id, system_id, roles, services, expires_at, secret_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [keyId, caller.organisationId, caller.systemId, caller.roles, services, expiresAt ?? null, sha256(secret)],
      );
      return { key: `pk_${keyId}.${secret}`, caller: { ...caller, services, keyId } };
    },
    async verify(presented) {
      const parsed = parseKey(presented);
      if (!parsed) return undefined;
      const { rows } = await db.query<KeyRow>('SELECT organisation_id, system_id, roles, services, secret_sha256 FROM api_keys WHERE key_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())', [parsed.keyId]);
      const row = rows[0];
      if (!row || !timingSafeEqual(row.secret_sha256, sha256(parsed.secret))) return undefined;
      return { keyId: parsed.keyId, organisationId: row.organisation_id, systemId: row.system_id, roles: row.roles, services: row.services };
    },
    async revoke(keyId) {
      await db.query('UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL', [keyId]);
    },
  };
}
