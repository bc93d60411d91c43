import type { FieldProblem } from '@polku/service-kit';

/** How far back a resident (or an auditor) may ask: two years. */
export const LOOKBACK_YEARS = 2;

export interface Window {
  from: Date;
  to: Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The time window of a disclosure query. `from` defaults to two years back, `to` to now; a
 * date-only `to` includes that whole day (UTC). `from` may not reach past the start of the
 * day two years back. Problems name the field as a JSON pointer, `in` the query string.
 */
export function disclosureWindow(query: { from?: string; to?: string }, now: Date, where = 'querystring'): Window | FieldProblem[] {
  const earliest = new Date(Date.UTC(now.getUTCFullYear() - LOOKBACK_YEARS, now.getUTCMonth(), now.getUTCDate()));
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => void problems.push({ field, in: where, message });
  const from = query.from === undefined ? new Date(now.getTime()) : parse(query.from, 'start');
  if (query.from === undefined) from?.setUTCFullYear(now.getUTCFullYear() - LOOKBACK_YEARS);
  const to = query.to === undefined ? now : parse(query.to, 'end');
  if (!from) problem('/from', 'must be a date (YYYY-MM-DD) or a date-time with an offset');
  else if (from.getTime() < earliest.getTime()) problem('/from', `reaches more than ${LOOKBACK_YEARS} years back; the earliest is ${earliest.toISOString().slice(0, 10)}`);
  if (!to) problem('/to', 'must be a date (YYYY-MM-DD) or a date-time with an offset');
  else if (from && to.getTime() < from.getTime()) problem('/to', 'is before from');
  return problems.length > 0 || !from || !to ? problems : { from, to };
}

function parse(text: string, edge: 'start' | 'end'): Date | undefined {
  if (DATE.test(text)) {
    const start = Date.parse(`${text}T00:00:00.000Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== text) return undefined;
    return new Date(edge === 'start' ? start : start + 86_400_000 - 1);
  }
  if (!DATE_TIME.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t);
}
