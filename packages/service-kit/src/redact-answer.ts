/**
 * What may be kept of an external system's answer (a refused delivery, a failed call): the
 * status, a problem's `code` and `type` when it gives them, and a short excerpt with personal
 * data taken out. The answer itself may name a person ("Pupil Matti Virtanen 010203A912X is not
 * enrolled"), so it never goes into a dead letter, an event or a log line whole: only this does.
 */
export interface RedactedAnswer {
  status: number;
  /** The answer's `code` (a problem+json extension, or an error code) when it is a plain code. */
  code?: string;
  /** The problem's `type` URI when it gives one. */
  type?: string;
  /** At most {@link MAX_EXCERPT_CHARS} characters, with identity codes, e-mails, phone numbers, names and values of name-like keys removed. */
  excerpt?: string;
}

/** Longest excerpt kept: enough to tell "unknown school unit" from "schema error", not a dump. */
export const MAX_EXCERPT_CHARS = 120;

/**
 * Keys whose values may identify a person, in the shapes external systems use (English and
 * Finnish). In JSON their values are dropped; in plain text everything after the first is cut.
 */
const NAME_LIKE_KEY = /name|nimi|hetu|ssn|identity|henkil|person|pupil|student|oppilas|child|lapsi|guardian|huoltaja|parent|contact|yhteys|email|e-mail|sähköposti|phone|puhelin|mobile|address|osoite|birth|syntym|description|kuvaus|free.?text|notes?\b/i;

const REDACTIONS: ReadonlyArray<[RegExp, string]> = [
  // Finnish identity codes, also ones whose check character is wrong (a typo still names someone).
  [/\d{6}[-+A-FU-Y]\d{3}[0-9A-Z]/gi, '[hetu]'],
  [/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi, '[email]'],
  [/(?<![\w-])\+?\d[\d\s()-]{5,}\d(?![\w-])/g, '[phone]'],
  // Two or more capitalised words in a row read as a person's name; a system's own wording rarely does.
  [/(?<!\p{L})\p{Lu}[\p{Ll}\d'-]+(?:\s+\p{Lu}[\p{Ll}\d'-]+)+(?!\p{L})/gu, '[name]'],
];

const PLAIN_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
const PLAIN_TYPE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"'<>]{1,200}$/;

/** Keeps what may be kept of an answer; see {@link RedactedAnswer}. Never throws. */
export function redactAnswer(status: number, body: string | undefined): RedactedAnswer {
  const answer: RedactedAnswer = { status };
  const text = (body ?? '').slice(0, 16 * 1024).trim();
  if (text === '') return answer;
  const parsed = parseJson(text);
  if (parsed !== undefined && typeof parsed === 'object' && parsed !== null) {
    const { code, type } = parsed as { code?: unknown; type?: unknown };
    if (typeof code === 'string' && PLAIN_CODE.test(code) && scrub(code) === code) answer.code = code;
    if (typeof type === 'string' && PLAIN_TYPE.test(type)) answer.type = scrub(type);
  }
  const excerpt = cut(scrub(parsed === undefined ? cutAtNameLikeKey(text) : JSON.stringify(withoutNameLikeValues(parsed))));
  if (excerpt !== '') answer.excerpt = excerpt;
  return answer;
}

/** One line for an error message: `HTTP 422 (code E_UNIT): {"error":"unknown school unit"}`. */
export function describeAnswer(answer: RedactedAnswer): string {
  const labels = [answer.code ? `code ${answer.code}` : undefined, answer.type ? `type ${answer.type}` : undefined].filter(Boolean);
  return `HTTP ${answer.status}${labels.length > 0 ? ` (${labels.join(', ')})` : ''}${answer.excerpt ? `: ${answer.excerpt}` : ''}`;
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function withoutNameLikeValues(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((item) => withoutNameLikeValues(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, NAME_LIKE_KEY.test(key) ? '[redacted]' : withoutNameLikeValues(inner, depth + 1)]),
  );
}

/** Plain text: everything from the first name-like key on is dropped (`name: ...`, `oppilas=...`). */
function cutAtNameLikeKey(text: string): string {
  const match = new RegExp(`(${NAME_LIKE_KEY.source})`, 'i').exec(text);
  return match ? `${text.slice(0, match.index + match[0].length)} [redacted]` : text;
}

function scrub(text: string): string {
  return REDACTIONS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text.replace(/\s+/g, ' '));
}

function cut(text: string): string {
  if (text.length <= MAX_EXCERPT_CHARS) return text;
  // Never end on half of a surrogate pair.
  return `${text.slice(0, MAX_EXCERPT_CHARS - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}
