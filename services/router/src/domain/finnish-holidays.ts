import { addDays, isoDate, parseIsoDate, weekday, type IsoDate } from './calendar-date';

export interface FinnishHoliday {
  date: IsoDate;
  name: { fi: string; en: string };
}

/**
 * Easter Sunday of a Gregorian year (the anonymous Gregorian computus, a.k.a. Meeus/Jones/Butcher).
 * Finland's church follows the Western Easter, so this drives Good Friday, Easter Monday and Ascension.
 */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** The first date on or after `from` that falls on ISO weekday `day` (movable Saturdays and Fridays). */
function firstWeekdayFrom(from: IsoDate, day: number): IsoDate {
  return addDays(from, (day - weekday(from) + 7) % 7);
}

/**
 * Finnish public holidays and the de facto days off (Midsummer Eve, Christmas Eve) of one year,
 * sorted by date. Pentecost is listed for completeness although it is always a Sunday.
 */
export function finnishHolidays(year: number): FinnishHoliday[] {
  const easter = easterSunday(year);
  const holiday = (date: IsoDate, fi: string, en: string): FinnishHoliday => ({ date, name: { fi, en } });
  const list = [
    holiday(isoDate(year, 1, 1), 'Uudenvuodenpäivä', "New Year's Day"),
    holiday(isoDate(year, 1, 6), 'Loppiainen', 'Epiphany'),
    holiday(addDays(easter, -2), 'Pitkäperjantai', 'Good Friday'),
    holiday(easter, 'Pääsiäispäivä', 'Easter Sunday'),
    holiday(addDays(easter, 1), '2. pääsiäispäivä', 'Easter Monday'),
    holiday(isoDate(year, 5, 1), 'Vappu', 'May Day'),
    holiday(addDays(easter, 39), 'Helatorstai', 'Ascension Day'),
    holiday(addDays(easter, 49), 'Helluntaipäivä', 'Pentecost'),
    holiday(firstWeekdayFrom(isoDate(year, 6, 19), 5), 'Juhannusaatto', 'Midsummer Eve'),
    holiday(firstWeekdayFrom(isoDate(year, 6, 20), 6), 'Juhannuspäivä', 'Midsummer Day'),
    holiday(firstWeekdayFrom(isoDate(year, 10, 31), 6), 'Pyhäinpäivä', "All Saints' Day"),
    holiday(isoDate(year, 12, 6), 'Itsenäisyyspäivä', 'Independence Day'),
    holiday(isoDate(year, 12, 24), 'Jouluaatto', 'Christmas Eve'),
    holiday(isoDate(year, 12, 25), 'Joulupäivä', 'Christmas Day'),
    holiday(isoDate(year, 12, 26), 'Tapaninpäivä', 'Boxing Day'),
  ];
  return list.sort((x, y) => x.date.localeCompare(y.date));
}

// Deadlines look up many dates of the same few years; the list of a year never changes.
const byYear = new Map<number, ReadonlySet<IsoDate>>();

export function isFinnishHoliday(date: IsoDate): boolean {
  const { year } = parseIsoDate(date);
  let dates = byYear.get(year);
  if (!dates) {
    dates = new Set(finnishHolidays(year).map((h) => h.date));
    byYear.set(year, dates);
  }
  return dates.has(date);
}
