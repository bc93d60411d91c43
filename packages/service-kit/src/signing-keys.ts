import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

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


/** A new Ed25519 key pair in the text forms of the settings: the launcher makes one per writer service. */
export function newSigningKey(keyId: string): { signingKey: string; publicKey: string } {
  if (!KEY_ID.test(keyId)) throw new Error('key id must be letters, digits, dots, dashes or underscores');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signingKey: `${keyId}:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
    publicKey: `${keyId}:${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
  };
}
