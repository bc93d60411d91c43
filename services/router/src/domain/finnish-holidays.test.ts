import { describe, expect, it } from 'vitest';
import { easterSunday, finnishHolidays, isFinnishHoliday } from './finnish-holidays';

const datesOf = (year: number): string[] => finnishHolidays(year).map((h) => h.date);

describe('finnishHolidays', () => {
  it('computes Easter Sunday by the Gregorian computus', () => {
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25'); // the latest possible Easter
  });

  it('lists exactly the 2025 holidays', () => {
    expect(datesOf(2025)).toEqual([
      '2025-01-01', '2025-01-06', '2025-04-18', '2025-04-20', '2025-04-21', '2025-05-01', '2025-05-29',
      '2025-06-08', '2025-06-20', '2025-06-21', '2025-11-01', '2025-12-06', '2025-12-24', '2025-12-25', '2025-12-26',
    ]);
  });

  it('lists exactly the 2026 holidays, with Midsummer Eve on 19 June', () => {
    expect(datesOf(2026)).toEqual([
      '2026-01-01', '2026-01-06', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-14',
      '2026-05-24', '2026-06-19', '2026-06-20', '2026-10-31', '2026-12-06', '2026-12-24', '2026-12-25', '2026-12-26',
    ]);
    expect(finnishHolidays(2026).find((h) => h.date === '2026-06-19')?.name.fi).toBe('Juhannusaatto');
  });

  it('lists exactly the 2027 holidays, with All Saints on the last allowed day (6 Nov)', () => {
    expect(datesOf(2027)).toEqual([
      '2027-01-01', '2027-01-06', '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01', '2027-05-06',
      '2027-05-16', '2027-06-25', '2027-06-26', '2027-11-06', '2027-12-06', '2027-12-24', '2027-12-25', '2027-12-26',
    ]);
  });

  it('answers for any year', () => {
    expect(isFinnishHoliday('2031-12-24')).toBe(true);
    expect(isFinnishHoliday('2031-12-23')).toBe(false);
  });
});
