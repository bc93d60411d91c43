import type { Sql } from '@polku/db';
import { listAlerts } from '../alerts/alert-store';
import type { AlertRow } from '../domain/alert-state';
import { askReadiness } from '../ops/readiness';

const MINUTES = 60;

/** One event type's counts per minute over the last hour, oldest first (the last is this minute). */
export interface EventRate {
  type: string;
  perMinute: number[];
  total: number;
}

export interface Readiness {
  service: string;
  ready: boolean;
  /** Why not, as a code: `HTTP_503`, `NO_ANSWER`. */
  problem?: string;
}

/** What the overview shows and sends again every few seconds: codes and counts only. */
export interface OverviewFigures {
  at: string;
  eventRates: EventRate[];
  referralsByState: { state: string; count: number }[];
  slaBreaches: { lastHour: number; lastDay: number };
  failingDeliveries: { retrying: number; failedLastHour: number; byAdapter: { adapterId: string; retrying: number; failed: number }[] };
  deadLetters: { topic: string; group: string; open: number }[];
  readiness: Readiness[];
  /** Alerts firing or pending, firing first. */
  alerts: AlertRow[];
}

/** Events per type and minute of the last hour, from the console's index. */
async function eventRates(db: Sql, now: Date): Promise<EventRate[]> {
  const { rows } = await db.query<{ type: string; ago: number; count: string }>(
    `SELECT type, floor(extract(epoch FROM ($1::timestamptz - time)) / 60)::int AS ago, count(*) AS count
       FROM console_events WHERE time > $1::timestamptz - interval '60 minutes' AND time <= $1::timestamptz
      GROUP BY 1, 2`,
    [now],
  );
  const byType = new Map<string, number[]>();
  for (const row of rows) {
    const series = byType.get(row.type) ?? new Array<number>(MINUTES).fill(0);
    series[MINUTES - 1 - Math.min(MINUTES - 1, Math.max(0, row.ago))]! += Number(row.count);
    byType.set(row.type, series);
  }
  return [...byType].map(([type, perMinute]) => ({ type, perMinute, total: perMinute.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.type.localeCompare(b.type));
}

/**
 * Each referral's state is the verb of its latest lifecycle event (timers and the wait for consent
 * are not states). Reads every referral event once: at the scale of one wellbeing area's referrals
 * this is milliseconds; a state table kept by the projection is the step after.
 */
async function referralsByState(db: Sql): Promise<OverviewFigures['referralsByState']> {
  const { rows } = await db.query<{ state: string; count: string }>(
    `SELECT split_part(type, '.', 4) AS state, count(*) AS count FROM (
       SELECT DISTINCT ON (referral_id) referral_id, type FROM console_events
        WHERE referral_id IS NOT NULL AND type LIKE 'fi.polku.referral.%'
          AND split_part(type, '.', 4) NOT IN ('sla-breached', 'follow-up-due', 'awaiting-consent')
        ORDER BY referral_id, time DESC, "offset" DESC) latest
      GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ state: r.state, count: Number(r.count) }));
}

async function slaBreaches(db: Sql, now: Date): Promise<OverviewFigures['slaBreaches']> {
  const { rows } = await db.query<{ hour: string; day: string }>(
    `SELECT count(*) FILTER (WHERE time > $1::timestamptz - interval '1 hour') AS hour, count(*) AS day
       FROM console_events WHERE type LIKE 'fi.polku.referral.sla-breached.%' AND time > $1::timestamptz - interval '24 hours'`,
    [now],
  );
  return { lastHour: Number(rows[0]?.hour ?? 0), lastDay: Number(rows[0]?.day ?? 0) };
}

/** Deliveries whose latest attempt of the last hour failed: still retrying, or failed for good. */
async function failingDeliveries(db: Sql, now: Date): Promise<OverviewFigures['failingDeliveries']> {
  const { rows } = await db.query<{ adapter_id: string; retrying: string; failed: string }>(
    `SELECT adapter_id, count(*) FILTER (WHERE outcome = 'failed-retrying') AS retrying, count(*) FILTER (WHERE outcome = 'failed') AS failed FROM (
       SELECT DISTINCT ON (delivery_id) delivery_id, adapter_id, outcome FROM adapter_host_delivery_attempts
        WHERE started_at > $1::timestamptz - interval '1 hour' AND outcome <> 'not-ready'
        ORDER BY delivery_id, started_at DESC, id DESC) latest
      GROUP BY 1 HAVING count(*) FILTER (WHERE outcome IN ('failed-retrying', 'failed')) > 0 ORDER BY 1`,
    [now],
  );
  const byAdapter = rows.map((r) => ({ adapterId: r.adapter_id, retrying: Number(r.retrying), failed: Number(r.failed) }));
  return { retrying: byAdapter.reduce((s, a) => s + a.retrying, 0), failedLastHour: byAdapter.reduce((s, a) => s + a.failed, 0), byAdapter };
}

async function openDeadLetters(db: Sql): Promise<OverviewFigures['deadLetters']> {
  const { rows } = await db.query<{ topic: string; group: string; open: string }>(
    `SELECT original_topic AS topic, consumer AS "group", count(*) AS open FROM dead_letters WHERE state = 'open' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
  );
  return rows.map((r) => ({ topic: r.topic, group: r.group, open: Number(r.open) }));
}

/** Each service's `/health/ready`, two seconds at most; the console's own checks as `console`. */
async function readiness(services: Readonly<Record<string, string>>, own: Record<string, () => Promise<void>>): Promise<Readiness[]> {
  const polled = Object.entries(services).map(async ([service, url]): Promise<Readiness> => {
    const answer = await askReadiness(url);
    if (!('status' in answer)) return { service, ready: false, problem: 'NO_ANSWER' };
    return answer.status >= 200 && answer.status < 300 ? { service, ready: true } : { service, ready: false, problem: `HTTP_${answer.status}` };
  });
  const mine = (async (): Promise<Readiness> => {
    const failed: string[] = [];
    await Promise.all(Object.entries(own).map(([name, check]) => check().catch(() => void failed.push(name))));
    return failed.length === 0 ? { service: 'console', ready: true } : { service: 'console', ready: false, problem: failed.sort().map((n) => `${n.toUpperCase()}_UNAVAILABLE`).join(' ') };
  })();
  return Promise.all([...polled, mine]);
}

export interface OverviewSource {
  db: Sql;
  services: Readonly<Record<string, string>>;
  readiness: Record<string, () => Promise<void>>;
}

export async function readOverview(source: OverviewSource, now: Date = new Date()): Promise<OverviewFigures> {
  const [rates, states, sla, deliveries, letters, ready, { alerts }] = await Promise.all([
    eventRates(source.db, now), referralsByState(source.db), slaBreaches(source.db, now), failingDeliveries(source.db, now),
    openDeadLetters(source.db), readiness(source.services, source.readiness), listAlerts(source.db, { states: ['firing', 'pending'] }),
  ]);
  return { at: now.toISOString(), eventRates: rates, referralsByState: states, slaBreaches: sla, failingDeliveries: deliveries, deadLetters: letters, readiness: ready, alerts };
}

/**
 * The figures read at most once per `maxAgeMs`, however many overviews are open: each open page
 * asks every few seconds, and the database answers once for all of them.
 */
export function sharedOverview(source: OverviewSource, maxAgeMs: number): () => Promise<OverviewFigures> {
  let last: { at: number; figures: Promise<OverviewFigures> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= maxAgeMs) {
      const figures = readOverview(source);
      last = { at: now, figures };
      // A failed read is not kept: the next ask tries again.
      figures.catch(() => { if (last?.figures === figures) last = undefined; });
    }
    return last.figures;
  };
}

/** A bar chart of a per-minute series as SVG rectangles (no script, no style attribute: the CSP allows it). */
export function sparkBars(series: readonly number[], width = 120, height = 24): { x: number; y: number; w: number; h: number }[] {
  const max = Math.max(1, ...series);
  const w = width / series.length;
  return series.map((count, i) => {
    const h = count === 0 ? 0 : Math.max(1, Math.round((count / max) * height));
    return { x: Math.round(i * w * 100) / 100, y: height - h, w: Math.max(1, Math.round(w * 100) / 100 - 0.5), h };
  }).filter((bar) => bar.h > 0);
}
