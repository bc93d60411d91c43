/**
 * Finnish personal identity codes (henkilötunnus, HETU): DDMMYY, a century sign, a
 * three-digit individual number and a check character. Individual numbers 900–999 are
 * temporary and test codes; every fixture in this repository uses them.
 */
const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';
const CENTURIES: Record<string, number> = { '+': 1800, '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900, A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000 };
const SHAPE = /^(\d{2})(\d{2})(\d{2})([-+ABCDEFUVWXY])(\d{3})([0-9A-Y])$/;

export interface IdentityCode {
  /** Upper-case, as written in the population register. */
  normalised: string;
  birthDate: { year: number; month: number; day: number };
  isTestCode: boolean;
}

export function checkCharacter(sixDigits: string, individualNumber: string): string {
  return CHECK_CHARACTERS[Number(sixDigits + individualNumber) % 31]!;
}

/** Parses and checks a code; `undefined` when the shape, date or check character is wrong. */
export function parseIdentityCode(candidate: string): IdentityCode | undefined {
  const normalised = candidate.trim().toUpperCase();
  const m = SHAPE.exec(normalised);
  if (!m) return undefined;
  const [, dd, mm, yy, sign, individual, check] = m as unknown as [string, string, string, string, string, string, string];
  if (checkCharacter(dd + mm + yy, individual) !== check) return undefined;
  const year = CENTURIES[sign]! + Number(yy);
  const birth = new Date(Date.UTC(year, Number(mm) - 1, Number(dd)));
  if (birth.getUTCMonth() !== Number(mm) - 1 || birth.getUTCDate() !== Number(dd)) return undefined;
  if (Number(individual) < 2) return undefined;
  return { normalised, birthDate: { year, month: Number(mm), day: Number(dd) }, isTestCode: Number(individual) >= 900 };
}

/** A valid synthetic code for tests and the demo: individual number 900–999. */
export function syntheticIdentityCode(birth: { year: number; month: number; day: number }, individual = 900): string {
  if (individual < 900 || individual > 999) throw new RangeError('synthetic codes use individual numbers 900-999');
  const six = `${String(birth.day).padStart(2, '0')}${String(birth.month).padStart(2, '0')}${String(birth.year % 100).padStart(2, '0')}`;
  const sign = birth.year >= 2000 ? 'A' : '-';
  const n = String(individual);
  return `${six}${sign}${n}${checkCharacter(six, n)}`;
}
