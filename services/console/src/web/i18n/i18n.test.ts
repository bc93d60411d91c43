import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fi } from './fi';
import { chooseLanguage } from './index';

describe('the console in Finnish and English', () => {
  it('has every string in both languages, none of them empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fi).sort());
    for (const catalogue of [fi, en]) {
      for (const [key, value] of Object.entries(catalogue)) {
        const text = typeof value === 'function' ? (value as (...a: string[]) => string)('x') : value;
        expect(text.trim(), key).not.toBe('');
      }
    }
  });

  it('follows the switch first, then the browser by quality, then Finnish', () => {
    expect(chooseLanguage('fi-FI,fi;q=0.9', 'en')).toBe('en');
    expect(chooseLanguage('en-GB,en;q=0.9,fi;q=0.8', undefined)).toBe('en');
    expect(chooseLanguage('sv-FI,fi;q=0.5,en;q=0.7', undefined)).toBe('en');
    expect(chooseLanguage('sv-FI, de', undefined)).toBe('fi');
    expect(chooseLanguage('en;q=0, fi;q=0.1', undefined)).toBe('fi');
    expect(chooseLanguage(undefined, 'de')).toBe('fi');
  });
});
