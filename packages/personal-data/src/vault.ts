import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PolkuError } from '@polku/service-kit';

/**
 * The vault holds the personal details behind a referral (identity code, names, contact
 * details, free text), encrypted with AES-256-GCM, in Redis. Topics and logs only ever
 * see the referral id; details are released per request (claim check).
 * The record id is bound into the ciphertext (AAD), so a record copied under another id
 * does not decrypt.
 */
export interface Vault {
  put(id: string, details: object): Promise<void>;
  get<T>(id: string): Promise<T | undefined>;
}

const VERSION = 'v1';

export function encryptRecord(key: Buffer, id: string, details: object): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const body = Buffer.concat([cipher.update(JSON.stringify(details), 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
}

export function decryptRecord<T>(key: Buffer, id: string, sealed: string): T {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !body) throw new PolkuError('VAULT_RECORD_CORRUPT', `vault record ${id} has an unknown format`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  } catch (cause) {
    throw new PolkuError('VAULT_RECORD_CORRUPT', `vault record ${id} does not decrypt with this key`, { cause });
  }
}

export function redisVault(redis: Redis, key: Buffer, namespace = 'polku:vault:'): Vault {
  if (key.length !== 32) throw new PolkuError('CONFIG_INVALID', 'the vault key must be 32 bytes');
  return {
    async put(id, details) {
      await redis.set(namespace + id, encryptRecord(key, id, details));
    },
    async get<T>(id: string) {
      const sealed = await redis.get(namespace + id);
      return sealed === null ? undefined : decryptRecord<T>(key, id, sealed);
    },
  };
}
