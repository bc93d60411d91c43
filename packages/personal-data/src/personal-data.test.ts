import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { parseIdentityCode, syntheticIdentityCode } from './identity-code';
import { ageBandOf, ageInYears } from './age-band';
import { subjectRefOf } from './subject-ref';

describe('identity codes', () => {
  it('accepts a valid synthetic code and reads its birth date', () => {
    const code = syntheticIdentityCode({ year: 2015, month: 1, day: 1 }, 947);
    expect(code).toBe('010115A947V');
    expect(parseIdentityCode(code.toLowerCase())).toEqual({ normalised: code, birthDate: { year: 2015, month: 1, day: 1 }, isTestCode: true });
  });

  it('rejects a wrong check character, an impossible date and a bad shape', () => {
    expect(parseIdentityCode('010115A947X')).toBeUndefined();
    expect(parseIdentityCode('310215A9471')).toBeUndefined(); // 31 February, right check character
    expect(parseIdentityCode('0101151947V')).toBeUndefined();
  });

  it('refuses to make a synthetic code outside the 900-999 range', () => {
    expect(() => syntheticIdentityCode({ year: 2015, month: 1, day: 1 }, 123)).toThrow(RangeError);
  });
});

describe('age bands', () => {
  it('puts a child in the band of their age on the given day', () => {
    expect(ageInYears({ year: 2015, month: 6, day: 15 }, new Date('2026-06-14'))).toBe(10);
    expect(ageBandOf(10)).toBe('7-12');
    expect(ageBandOf(16)).toBe('16-17');
    expect(ageBandOf(undefined)).toBe('unknown');
  });
});

describe('subject references', () => {
  it('are stable for one code and key, differ between keys, and do not contain the code', () => {
    const key = randomBytes(32);
    const ref = subjectRefOf('010115A947V', key);
    expect(ref).toMatch(/^sr_[A-Za-z0-9_-]{43}$/);
    expect(subjectRefOf('010115A947V', key)).toBe(ref);
    expect(subjectRefOf('010115A947V', randomBytes(32))).not.toBe(ref);
  });
});
