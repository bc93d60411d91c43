import { describe, expect, it } from 'vitest';
import { validateEvent } from '@polku/contracts';
import { canonicalBytes } from './canonical';
import { newSigningKey, parsePublicKeyring, parseSigningKey } from '@polku/service-kit';
import { SEALER_SOURCE, signEvent, verifyCheckpointSignature, verifyEntrySignature, verifyEventSignature } from './signing';
import { disclosedEntry, testKeys } from './test-entries';

describe('signing a disclosure-log entry', () => {
  it('signs with the writer key, and the signed event still meets the envelope contract', () => {
    const { writer, keyring } = testKeys();
    const signed = signEvent(disclosedEntry(1), writer);
    expect(signed.signingkeyid).toBe('referral-api-1');
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(validateEvent(signed).ok).toBe(true);
    expect(verifyEventSignature(signed, keyring)).toEqual({ ok: true, keyId: 'referral-api-1' });
  });

  it('verifies whatever the key order and whitespace after a round trip through a database or broker', () => {
    const { writer, keyring } = testKeys();
    const signed = signEvent(disclosedEntry(2), writer) as unknown as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(signed).reverse());
    expect(verifyEventSignature(JSON.parse(JSON.stringify(reordered, null, 2)), keyring).ok).toBe(true);
  });

  it('names an altered, an unsigned and a foreign-key entry', () => {
    const { writer, keyring } = testKeys();
    const signed = signEvent(disclosedEntry(3), writer);
    const altered = { ...signed, data: { ...signed.data, dataCategories: ['identity'] } };
    expect(verifyEventSignature(altered, keyring)).toEqual({ ok: false, problem: 'bad-signature', keyId: 'referral-api-1' });
    expect(verifyEventSignature(disclosedEntry(3), keyring)).toEqual({ ok: false, problem: 'unsigned' });
    const stranger = parseSigningKey(newSigningKey('referral-api-1').signingKey);
    expect(verifyEventSignature(signEvent(disclosedEntry(3), stranger), keyring)).toMatchObject({ ok: false, problem: 'bad-signature' });
    const unknown = parseSigningKey(newSigningKey('somebody-1').signingKey);
    expect(verifyEventSignature(signEvent(disclosedEntry(3), unknown), keyring)).toEqual({ ok: false, problem: 'unknown-key', keyId: 'somebody-1' });
    expect(verifyEventSignature('bm90IGpzb24=', keyring)).toEqual({ ok: false, problem: 'not-an-event' });
  });

  it('refuses one service\'s key speaking for another, and the sealer\'s key on a log entry', () => {
    const { writer, sealer, keyring } = testKeys();
    const asConsent = signEvent({ ...disclosedEntry(5), source: '/polku/consent' }, writer);
    expect(verifyEventSignature(asConsent, keyring)).toEqual({ ok: false, problem: 'wrong-signer', keyId: 'referral-api-1' });
    const bySealer = signEvent({ ...disclosedEntry(5), source: SEALER_SOURCE }, sealer);
    expect(verifyEventSignature(bySealer, keyring).ok).toBe(true);
    expect(verifyEntrySignature(bySealer, keyring)).toEqual({ ok: false, problem: 'wrong-signer', keyId: 'disclosure-sealer-1' });
    expect(verifyCheckpointSignature(signEvent(disclosedEntry(5), writer), keyring)).toMatchObject({ ok: false, problem: 'wrong-signer' });
  });

  it('re-signing replaces the signature rather than signing the old one', () => {
    const { writer, keyring } = testKeys();
    const twice = signEvent(signEvent(disclosedEntry(4), writer), writer);
    expect(verifyEventSignature(twice, keyring).ok).toBe(true);
  });

  it('canonicalises as RFC 8785 does', () => {
    expect(canonicalBytes({ b: 1, a: [1e21, 0.1, 'ä'], c: { z: null, y: true } }).toString()).toBe('{"a":[1e+21,0.1,"ä"],"b":1,"c":{"y":true,"z":null}}');
  });

  it('refuses keys that are not Ed25519 in the settings form, without quoting them', () => {
    expect(() => parseSigningKey('no-colon')).toThrow(/key id/);
    expect(() => parseSigningKey('k1:AAAA')).toThrow(/k1 is not a PKCS#8/);
    expect(() => parsePublicKeyring('')).toThrow(/names no key/);
    const { publicKey } = newSigningKey('k2');
    expect(() => parsePublicKeyring(`${publicKey},${publicKey}`)).toThrow(/appears twice/);
  });
});
