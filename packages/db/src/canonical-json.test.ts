import { describe, expect, it } from 'vitest';
import { bodyFingerprint, canonicalJson } from './canonical-json';

describe('body fingerprints', () => {
  it('ignore key order at every level but not array order or values', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(bodyFingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(bodyFingerprint({ b: { d: 3, c: 2 }, a: 1 }));
    expect(bodyFingerprint({ a: [1, 2] })).not.toBe(bodyFingerprint({ a: [2, 1] }));
  });
});
