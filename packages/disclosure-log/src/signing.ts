import { sign, verify } from 'node:crypto';
import type { CloudEvent } from '@polku/contracts';
import type { PublicKeyring, SigningKey } from '@polku/service-kit';
import { canonicalBytes } from './canonical';

/** The CloudEvents extension attributes a signed event carries (schemas/envelope/cloudevent.v1.json). */
export const SIGNATURE_ATTRIBUTES = ['signature', 'signingkeyid'] as const;

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
  | 'not-an-event'
  /**
   * A valid signature, but by a key of another service than the one the event names as its
   * `source` (`/polku/<service>` is signed by keys `<service>-…`), or, on the log, by the sealer:
   * one service's key cannot speak for another.
   */
  | 'wrong-signer';

export type SignatureCheck = { ok: true; keyId: string } | { ok: false; problem: SignatureProblem; keyId?: string };

/** Checks an entry's signature against the keyring. Never throws. */
export function verifyEventSignature(candidate: unknown, keyring: PublicKeyring): SignatureCheck {
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return { ok: false, problem: 'not-an-event' };
  const event = candidate as Record<string, unknown>;
  const { signature, signingkeyid: keyId } = event;
  if (typeof signature !== 'string' || typeof keyId !== 'string') return { ok: false, problem: 'unsigned' };
  const key = keyring.get(keyId);
  if (!key) return { ok: false, problem: 'unknown-key', keyId };
  if (!keyOfSource(keyId, event.source)) return { ok: false, problem: 'wrong-signer', keyId };
  let valid = false;
  try {
    valid = verify(null, signedBytes(event), key, Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true, keyId } : { ok: false, problem: 'bad-signature', keyId };
}


/** The sealer's source: its key signs checkpoints, never log entries. */
export const SEALER_SOURCE = '/polku/disclosure-sealer';

/** Whether `keyId` is a key of the service `source` names: `/polku/<service>` goes with `<service>-<anything>`. */
function keyOfSource(keyId: string, source: unknown): boolean {
  const service = typeof source === 'string' ? /^\/polku\/([a-z0-9-]+)$/.exec(source)?.[1] : undefined;
  return service !== undefined && keyId.startsWith(`${service}-`);
}

/**
 * The check of a disclosure-log entry, by the sealer and the verifier alike: a valid signature by
 * a key of the writer service the entry names, which is never the sealer.
 */
export function verifyEntrySignature(candidate: unknown, keyring: PublicKeyring): SignatureCheck {
  const check = verifyEventSignature(candidate, keyring);
  if (check.ok && (candidate as { source?: unknown }).source === SEALER_SOURCE) return { ok: false, problem: 'wrong-signer', keyId: check.keyId };
  return check;
}

/** The check of a checkpoint: a valid signature by a key of the sealer. */
export function verifyCheckpointSignature(candidate: unknown, keyring: PublicKeyring): SignatureCheck {
  const check = verifyEventSignature(candidate, keyring);
  if (check.ok && (candidate as { source?: unknown }).source !== SEALER_SOURCE) return { ok: false, problem: 'wrong-signer', keyId: check.keyId };
  return check;
}
