import { describe, expect, it } from 'vitest';
import { disclosureWindow } from './disclosure-window';

const NOW = new Date('2026-03-02T10:00:00.000Z');

describe('disclosureWindow', () => {
  it('defaults to the last two years up to now', () => {
    expect(disclosureWindow({}, NOW)).toEqual({ from: new Date('2024-03-02T10:00:00.000Z'), to: NOW });
  });

  it('takes dates as whole days and date-times as they are', () => {
    expect(disclosureWindow({ from: '2025-01-01', to: '2025-01-31' }, NOW)).toEqual({ from: new Date('2025-01-01T00:00:00.000Z'), to: new Date('2025-01-31T23:59:59.999Z') });
    expect(disclosureWindow({ from: '2025-01-01T12:00:00+02:00' }, NOW)).toMatchObject({ from: new Date('2025-01-01T10:00:00.000Z') });
  });

  it('allows from the start of the day two years back, not earlier', () => {
    expect(disclosureWindow({ from: '2024-03-02' }, NOW)).toMatchObject({ from: new Date('2024-03-02T00:00:00.000Z') });
    expect(disclosureWindow({ from: '2024-03-01T23:59:59Z' }, NOW)).toEqual([{ field: '/from', in: 'querystring', message: expect.stringContaining('2024-03-02') }]);
  });

  it('names every bad field', () => {
    expect(disclosureWindow({ from: '2025-02-30', to: 'now' }, NOW)).toEqual([
      { field: '/from', in: 'querystring', message: expect.any(String) },
      { field: '/to', in: 'querystring', message: expect.any(String) },
    ]);
    expect(disclosureWindow({ from: '2025-06-01', to: '2025-05-01' }, NOW, 'body')).toEqual([{ field: '/to', in: 'body', message: 'is before from' }]);
  });
});
