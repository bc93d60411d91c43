import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { CloudEvent } from '@polku/contracts';
import { canonicalBytes } from './canonical';

/** The CloudEvents extension attributes a signed event carries (schemas/envelope/cloudevent.v1.json). */
export const SIGNATURE_ATTRIBUTES = ['signature', 'signingkeyid'] as const;

/** One service's Ed25519 signing key and the id verifiers know its public half by. */
export interface SigningKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

/** Public keys by key id: everything a verifier needs, and nothing it could sign with. */
export type PublicKeyring = ReadonlyMap<string, KeyObject>;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `<key id>:<base64 of a PKCS#8 DER Ed25519 private key>`, the form of POLKU_DISCLOSURE_SIGNING_KEY.
 * The message never quotes the key.
 */
export function parseSigningKey(text: string): SigningKey {
  const [keyId, der, ...rest] = text.trim().split(':');
  if (!keyId || !der || rest.length > 0 || !KEY_ID.test(keyId)) throw new Error('must be <key id>:<base64 of a PKCS#8 Ed25519 key>');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(`key ${keyId} is not a PKCS#8 DER key in base64`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`key ${keyId} is not an Ed25519 key`);
  return { keyId, privateKey };
}

/**
 * `<key id>:<base64 of an SPKI DER Ed25519 public key>`, comma-separated: the form of
 * POLKU_DISCLOSURE_PUBLIC_KEYS and of an export's `publicKeys`. Retired keys stay in it for as
 * long as entries they signed are kept.
 */
export function parsePublicKeyring(text: string): PublicKeyring {
  const ring = new Map<string, KeyObject>();
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [keyId, der, ...rest] = item.split(':');
    if (!keyId || !der || rest.length > 0 || !KEY_ID.test(keyId)) throw new Error('each key must be <key id>:<base64 of an SPKI Ed25519 public key>');
    if (ring.has(keyId)) throw new Error(`key id ${keyId} appears twice`);
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'spki' });
    } catch {
      throw new Error(`key ${keyId} is not an SPKI DER key in base64`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`key ${keyId} is not an Ed25519 key`);
    ring.set(keyId, key);
  }
  if (ring.size === 0) throw new Error('names no key');
  return ring;
}

/** The keyring in the text form `parsePublicKeyring` reads. */
export function formatPublicKeyring(ring: PublicKeyring): string {
  return [...ring].map(([keyId, key]) => `${keyId}:${key.export({ format: 'der', type: 'spki' }).toString('base64')}`).join(',');
}

/** The envelope as signed: every attribute but the signature's own. */
function signedBytes(event: Record<string, unknown>): Buffer {
  const { signature: _signature, signingkeyid: _keyId, ...rest } = event;
  return canonicalBytes(rest);
}

/** Signs `event` (Ed25519 over its RFC 8785 form without the signature attributes). */
export function signEvent<T extends CloudEvent>(event: T, key: SigningKey): T {
  const unsigned = { ...event } as Record<string, unknown>;
  delete unsigned.signature;
  delete unsigned.signingkeyid;
  const signature = sign(null, signedBytes(unsigned), key.privateKey).toString('base64url');
  return { ...unsigned, signingkeyid: key.keyId, signature } as unknown as T;
}

/** Why an entry has no valid service signature. */
export type SignatureProblem =
  /** No signature attributes at all. */
  | 'unsigned'
  /** Signed with a key id the keyring does not hold. */
  | 'unknown-key'
  /** A known key's signature that does not match the entry: altered after signing, or made up. */
  | 'bad-signature'
  /** Not a JSON object (or not JSON at all), so nothing to verify. */
  | 'not-an-event';

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; problem: SignatureProblem; keyId?: string };

/** Checks an entry's signature against the keyring. Never throws. */
export function verifyEventSignature(candidate: unknown, keyring: PublicKeyring): SignatureCheck {
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return { ok: false, problem: 'not-an-event' };
  const event = candidate as Record<string, unknown>;
  const { signature, signingkeyid: keyId } = event;
  if (typeof signature !== 'string' || typeof keyId !== 'string') return { ok: false, problem: 'unsigned' };
  const key = keyring.get(keyId);
  if (!key) return { ok: false, problem: 'unknown-key', keyId };
  let valid = false;
  try {
    valid = verify(null, signedBytes(event), key, Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true, keyId } : { ok: false, problem: 'bad-signature', keyId };
}

/** A new Ed25519 key pair in the text forms of the settings: the launcher makes one per writer service. */
export function newSigningKey(keyId: string): { signingKey: string; publicKey: string } {
  if (!KEY_ID.test(keyId)) throw new Error('key id must be letters, digits, dots, dashes or underscores');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signingKey: `${keyId}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
    publicKey: `${keyId}:${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
  };
}
