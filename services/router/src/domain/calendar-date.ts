/**
 * A calendar date as `YYYY-MM-DD`, with no time and no zone. Holidays and working days are
 * facts about dates, not instants, so they are computed here and only turned into instants
 * (in Helsinki time) at the very end. Arithmetic goes through UTC midnight, which has no DST.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isoDate(year: number, month: number, day: number): IsoDate {
  return toIso(new Date(Date.UTC(year, month - 1, day)));
}

export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return toIso(new Date(utcMidnight(date) + days * DAY_MS));
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function weekday(date: IsoDate): number {
  const day = new Date(utcMidnight(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const firstOfTarget = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDate(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, Math.min(day, lastDay));
}

function utcMidnight(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day);
}

function toIso(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}
