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

/** Who changed a key and why: written to `api_key_audit` with the change, in the same statement. */
export interface KeyAudit {
  /** The operator's key (`key:<id> <organisation>/<system>`), or `cli:<user>@<host>`, or `launcher`. */
  actor: string;
  reason: string;
}

/** What a list shows of a key: never a secret or its hash. */
export interface KeyListing {
  keyId: string;
  organisationId: string;
  systemId: string;
  roles: CallerRole[];
  services: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  rotatedAt: string | null;
  /** Until when the secret before the last rotation still works. */
  previousSecretUntil: string | null;
  state: 'active' | 'expired' | 'revoked';
}

/** Why a presented key does not name a caller: `revoked` and `expired` only for the key's own secret. */
export type KeyRefusal = 'unknown' | 'revoked' | 'expired';

/** The overlap a rotation leaves the old secret. @defaultValue 24 h */
export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/** API keys of organisation systems, stored hashed. */
export interface ApiKeyStore {
  issue(grant: KeyGrant, audit?: KeyAudit): Promise<{ key: string; caller: Caller }>;
  /** The caller a presented key belongs to; undefined for anything but a live key. */
  verify(presented: string): Promise<Caller | undefined>;
  /** As `verify`, with why a key was refused: a revoked or expired key is told apart only when its secret is right. */
  authenticate(presented: string): Promise<{ caller: Caller } | { refused: KeyRefusal }>;
  /** Immediate: the key's next request is refused. False when there is no such live key. */
  revoke(keyId: string, audit?: KeyAudit): Promise<boolean>;
  /**
   * Same key id, a new secret (shown once, in the answer); the old one keeps working for
   * `overlapMs`. Undefined when there is no such active key.
   */
  rotate(keyId: string, audit: KeyAudit, overlapMs?: number): Promise<{ key: string; previousSecretUntil: string } | undefined>;
  list(): Promise<KeyListing[]>;
}

interface KeyRow {
  organisation_id: string;
  system_id: string;
  roles: CallerRole[];
  services: string[];
  secret_sha256: Buffer;
  previous_secret_sha256: Buffer | null;
  previous_live: boolean;
  revoked: boolean;
  expired: boolean;
}

const LAUNCHER_AUDIT: KeyAudit = { actor: 'system', reason: 'issued by Polku itself' };

function newKeyId(): string {
  return randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
}

/** Writes the change and its audit entry in one statement, so neither exists without the other. */
const AUDITED = (change: string) => `WITH changed AS (${change} RETURNING key_id)
  INSERT INTO api_key_audit (key_id, action, actor, reason, details) SELECT key_id, $2::text, $3::text, $4::text, $5::jsonb FROM changed RETURNING key_id`;

export function sqlApiKeyStore(db: KeyTable): ApiKeyStore {
  const store: ApiKeyStore = {
    async issue({ expiresAt, services = [], ...caller }, audit = LAUNCHER_AUDIT) {
      const keyId = newKeyId();
      const secret = randomBytes(32).toString('base64url');
      const details = { organisationId: caller.organisationId, systemId: caller.systemId, roles: caller.roles, services, expiresAt: expiresAt?.toISOString() ?? null };
      await db.query(
        `${AUDITED('INSERT INTO api_keys (key_id, organisation_id, system_id, roles, services, expires_at, secret_sha256) VALUES ($1, $6, $7, $8, $9, $10, $11)')}`,
        [keyId, 'issue', audit.actor, audit.reason, details, caller.organisationId, caller.systemId, caller.roles, services, expiresAt ?? null, sha256(secret)],
      );
      return { key: `pk_${keyId}.${secret}`, caller: { ...caller, services, keyId } };
    },
    async verify(presented) {
      const result = await store.authenticate(presented);
      return 'caller' in result ? result.caller : undefined;
    },
    async authenticate(presented) {
      const parsed = parseKey(presented);
      if (!parsed) return { refused: 'unknown' };
      const { rows } = await db.query<KeyRow>(
        `SELECT organisation_id, system_id, roles, services, secret_sha256, previous_secret_sha256,
           coalesce(previous_secret_until > now(), false) AS previous_live, revoked_at IS NOT NULL AS revoked,
           coalesce(expires_at <= now(), false) AS expired
         FROM api_keys WHERE key_id = $1`,
        [parsed.keyId],
      );
      const row = rows[0];
      if (!row) return { refused: 'unknown' };
      const hash = sha256(parsed.secret);
      const current = timingSafeEqual(row.secret_sha256, hash);
      const previous = row.previous_secret_sha256 !== null && timingSafeEqual(row.previous_secret_sha256, hash);
      if (!current && !(previous && row.previous_live)) return { refused: 'unknown' };
      if (row.revoked) return { refused: 'revoked' };
      if (row.expired) return { refused: 'expired' };
      return { caller: { keyId: parsed.keyId, organisationId: row.organisation_id, systemId: row.system_id, roles: row.roles, services: row.services } };
    },
    async revoke(keyId, audit = LAUNCHER_AUDIT) {
      const { rowCount } = await db.query(AUDITED('UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL'), [keyId, 'revoke', audit.actor, audit.reason, {}]);
      return (rowCount ?? 0) > 0;
    },
    async rotate(keyId, audit, overlapMs = DEFAULT_ROTATION_OVERLAP_MS) {
      const secret = randomBytes(32).toString('base64url');
      const until = new Date(Date.now() + overlapMs);
      const { rowCount } = await db.query(
        AUDITED(`UPDATE api_keys SET previous_secret_sha256 = secret_sha256, previous_secret_until = $6, secret_sha256 = $7, rotated_at = now()
          WHERE key_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`),
        [keyId, 'rotate', audit.actor, audit.reason, { previousSecretUntil: until.toISOString() }, until, sha256(secret)],
      );
      return (rowCount ?? 0) > 0 ? { key: `pk_${keyId}.${secret}`, previousSecretUntil: until.toISOString() } : undefined;
    },
    async list() {
      const { rows } = await db.query<{ key_id: string; organisation_id: string; system_id: string; roles: CallerRole[]; services: string[]; created_at: Date; expires_at: Date | null; revoked_at: Date | null; rotated_at: Date | null; previous_secret_until: Date | null }>(
        'SELECT key_id, organisation_id, system_id, roles, services, created_at, expires_at, revoked_at, rotated_at, previous_secret_until FROM api_keys ORDER BY organisation_id, system_id, created_at',
      );
      const now = Date.now();
      const iso = (d: Date | null) => (d ? d.toISOString() : null);
      return rows.map((r) => ({
        keyId: r.key_id, organisationId: r.organisation_id, systemId: r.system_id, roles: r.roles, services: r.services,
        createdAt: r.created_at.toISOString(), expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), rotatedAt: iso(r.rotated_at),
        previousSecretUntil: r.previous_secret_until && r.previous_secret_until.getTime() > now ? r.previous_secret_until.toISOString() : null,
        state: r.revoked_at ? 'revoked' : r.expires_at && r.expires_at.getTime() <= now ? 'expired' : 'active',
      }));
    },
  };
  return store;
}
