import { parseIsoDate, type IsoDate } from './calendar-date';

/** Keski-Suomi keeps Finnish time; deadlines are read by people in Finland, so every wall clock is this one. */
export const HELSINKI = 'Europe/Helsinki';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: HELSINKI,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallClock {
  date: IsoDate;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date): WallClock {
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.formatToParts(instant).find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
  };
}

/** The Helsinki calendar date of an instant: 23:30 UTC on 31 Dec is already New Year's Day in Finland. */
export function helsinkiDate(instant: Date): IsoDate {
  return wallClock(instant).date;
}

/** Minutes Helsinki is ahead of UTC at an instant: 120 in winter, 180 in summer. */
function offsetMinutes(instant: Date): number {
  const clock = wallClock(instant);
  const { year, month, day } = parseIsoDate(clock.date);
  const asUtc = Date.UTC(year, month - 1, day, clock.hour, clock.minute, clock.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant a Helsinki wall clock shows `time` ("HH:MM") on `date`. The offset is taken twice
 * because the first guess can sit on the other side of a DST switch; a time inside the spring gap
 * (03:00–04:00 on the last Sunday of March) comes out an hour later, as clocks show it.
 */
export function helsinkiInstant(date: IsoDate, time: string): Date {
  const { year, month, day } = parseIsoDate(date);
  const [hour, minute] = parseTime(time);
  const local = Date.UTC(year, month - 1, day, hour, minute);
  const first = local - offsetMinutes(new Date(local)) * 60_000;
  return new Date(local - offsetMinutes(new Date(first)) * 60_000);
}

/** RFC 3339 with the Helsinki offset, as events carry time: `2026-04-07T16:00:00+03:00`. */
export function formatHelsinki(instant: Date): string {
  const clock = wallClock(instant);
  const offset = offsetMinutes(instant);
  const sign = offset < 0 ? '-' : '+';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${clock.date}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}${zone}`;
}

export function parseTime(time: string): [number, number] {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`not an HH:MM time: ${time}`);
  return [Number(match[1]), Number(match[2])];
}
