import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

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
}

interface StoredKey extends Caller {
  /** SHA-256 of the secret part. Keys are 256-bit random, so a slow hash adds nothing. */
  secretSha256: string;
  createdAt: string;
}

const PREFIX = 'polku:api-key:';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Splits `pk_<keyId>.<secret>`; anything else is not a key. */
function parseKey(presented: string): { keyId: string; secret: string } | undefined {
  const match = /^pk_([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/.exec(presented);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** API keys of organisation systems, stored hashed in Redis. */
export interface ApiKeyStore {
  issue(caller: Omit<Caller, 'keyId'>): Promise<{ key: string; caller: Caller }>;
  verify(presented: string): Promise<Caller | undefined>;
  revoke(keyId: string): Promise<void>;
}

export function redisApiKeyStore(redis: Redis): ApiKeyStore {
  return {
    async issue(caller) {
      const keyId = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
      const secret = randomBytes(32).toString('base64url');
      const stored: StoredKey = { ...caller, keyId, secretSha256: sha256(secret), createdAt: new Date().toISOString() };
      await redis.set(PREFIX + keyId, JSON.stringify(stored));
      return { key: `pk_${keyId}.${secret}`, caller: { ...caller, keyId } };
    },
    async verify(presented) {
      const parsed = parseKey(presented);
      if (!parsed) return undefined;
      const raw = await redis.get(PREFIX + parsed.keyId);
      if (!raw) return undefined;
      const { secretSha256, createdAt: _createdAt, ...caller } = JSON.parse(raw) as StoredKey;
      const ok = timingSafeEqual(Buffer.from(secretSha256, 'hex'), Buffer.from(sha256(parsed.secret), 'hex'));
      return ok ? caller : undefined;
    },
    async revoke(keyId) {
      await redis.del(PREFIX + keyId);
    },
  };
}
