import { addDays, weekday, type IsoDate } from './calendar-date';
import { isFinnishHoliday } from './finnish-holidays';

/** Monday to Friday and not a Finnish public holiday (nor Midsummer or Christmas Eve). */
export function isWorkingDay(date: IsoDate): boolean {
  return weekday(date) <= 5 && !isFinnishHoliday(date);
}

/** `date` itself when it is a working day, otherwise the first working day after it. */
export function workingDayOnOrAfter(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/**
 * The `count`-th working day after `date` (the day itself is never counted, working or not):
 * 1 from a Friday is the next Monday, or Tuesday when that Monday is a holiday.
 */
export function addWorkingDays(date: IsoDate, count: number): IsoDate {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`working-day count must be a whole number ≥ 0: ${count}`);
  let day = date;
  for (let left = count; left > 0; left -= 1) day = workingDayOnOrAfter(addDays(day, 1));
  return day;
}
