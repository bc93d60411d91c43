import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, workingDayOnOrAfter } from './working-days';

describe('working days', () => {
  it('skips weekends and holidays', () => {
    expect(isWorkingDay('2026-01-16')).toBe(true); // Friday
    expect(isWorkingDay('2026-01-17')).toBe(false); // Saturday
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(workingDayOnOrAfter('2025-12-24')).toBe('2025-12-29');
  });

  it('never counts the starting day', () => {
    expect(addWorkingDays('2026-01-17', 1)).toBe('2026-01-19'); // Saturday → Monday
    expect(addWorkingDays('2026-01-16', 1)).toBe('2026-01-19'); // Friday → Monday
    expect(addWorkingDays('2025-01-03', 1)).toBe('2025-01-07'); // Friday → Tuesday after Epiphany Monday
    expect(addWorkingDays('2026-01-16', 0)).toBe('2026-01-16');
  });

  it('rejects a negative count', () => {
    expect(() => addWorkingDays('2026-01-16', -1)).toThrow(RangeError);
  });
});
