import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fi } from './fi';
import { chooseLanguage } from './index';

describe('the console in Finnish and English', () => {
  it('has every string in both languages, none of them empty', () => {
    /** Every entry as `path → text`, groups opened (a function is called with sample arguments). */
    const flat = (catalogue: object, prefix = ''): Map<string, string> => new Map(Object.entries(catalogue).flatMap(([key, value]) =>
      typeof value === 'object' ? [...flat(value as object, `${prefix}${key}.`)] : [[`${prefix}${key}`, typeof value === 'function' ? (value as (...a: unknown[]) => string)('x', 'y') : String(value)] as const]));
    const [finnish, english] = [flat(fi), flat(en)];
    expect([...english.keys()].sort()).toEqual([...finnish.keys()].sort());
    for (const catalogue of [finnish, english]) for (const [key, text] of catalogue) expect(text.trim(), key).not.toBe('');
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
