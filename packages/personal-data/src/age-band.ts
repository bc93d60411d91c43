/** The age bands events carry instead of a birth date (see schemas/common). */
export type AgeBand = '0-2' | '3-6' | '7-12' | '13-15' | '16-17' | '18-29' | 'unknown';

const BANDS: Array<[number, AgeBand]> = [[2, '0-2'], [6, '3-6'], [12, '7-12'], [15, '13-15'], [17, '16-17'], [29, '18-29']];

export function ageInYears(birth: { year: number; month: number; day: number }, on: Date): number {
  const y = on.getUTCFullYear() - birth.year;
  const beforeBirthday = on.getUTCMonth() + 1 < birth.month || (on.getUTCMonth() + 1 === birth.month && on.getUTCDate() < birth.day);
  return beforeBirthday ? y - 1 : y;
}

export function ageBandOf(age: number | undefined): AgeBand {
  if (age === undefined || age < 0) return 'unknown';
  return BANDS.find(([upTo]) => age <= upTo)?.[1] ?? 'unknown';
}
