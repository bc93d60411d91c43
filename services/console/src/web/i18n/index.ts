import { en } from './en';
import { fi } from './fi';
import type { Messages } from './messages';

export type { Messages } from './messages';
export type Language = 'fi' | 'en';
export const LANGUAGES: readonly Language[] = ['fi', 'en'];

const CATALOGUES: Record<Language, Messages> = { fi, en };

export function messagesFor(language: Language): Messages {
  return CATALOGUES[language];
}

export function isLanguage(value: unknown): value is Language {
  return value === 'fi' || value === 'en';
}

/**
 * The person's own choice (the switch, kept in a cookie) first; otherwise the first of Finnish and
 * English their browser asks for by `Accept-Language` quality; otherwise Finnish.
 */
export function chooseLanguage(acceptLanguage: string | undefined, chosen: string | undefined): Language {
  if (isLanguage(chosen)) return chosen;
  const asked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { primary: tag.toLowerCase().split('-')[0], quality: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => isLanguage(entry.primary) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return (asked[0]?.primary as Language | undefined) ?? 'fi';
}
