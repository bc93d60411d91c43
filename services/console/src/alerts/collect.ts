import type { Bus } from '@polku/bus';
import type { Sql } from '@polku/db';
import type { AlertCondition, AlertRow } from '../domain/alert-state';
import { askReadiness } from '../ops/readiness';
import type { AlertSettings } from './alert-settings';

const MINUTE = 60_000;

/** Total lag per consumer group above the threshold, held for some minutes. */
export async function lagConditions(bus: Bus, s: AlertSettings): Promise<AlertCondition[]> {
  const admin = await bus.admin();
  const conditions: AlertCondition[] = [];
  for (const groupId of await admin.listGroups()) {
    const rows = await bus.lag(groupId);
    if (rows.length === 0) continue;
    const lag = rows.reduce((sum, row) => sum + row.lag, 0);
    const worst = rows.reduce((a, b) => (b.lag > a.lag ? b : a));
    conditions.push({
      kind: 'consumer-lag', about: groupId, active: lag > s.lagRecords, forMs: s.lagMinutes * MINUTE, value: lag, threshold: s.lagRecords,
      detail: { worstPartition: { topic: worst.topic, partition: worst.partition, lag: worst.lag } },
    });
  }
  return conditions;
}

/**
 * Records on each dead-letter topic (end offsets), compared with the last evaluation's count:
 * growing until `deadLetterQuietMinutes` pass without a new one. The first sight is a baseline.
 */
export async function deadLetterConditions(bus: Bus, previous: ReadonlyMap<string, AlertRow>, s: AlertSettings, now: Date): Promise<AlertCondition[]> {
  const admin = await bus.admin();
  const topics = (await admin.listTopics()).filter((topic) => topic.endsWith('.dlq')).sort();
  return Promise.all(topics.map(async (topic) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    const count = offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
    const written = offsets.reduce((sum, p) => sum + Number(BigInt(p.high)), 0);
    const before = previous.get(`dead-letters-growing:${topic}`)?.detail as { written?: number; grewAt?: string } | undefined;
    const grewAt = before?.written !== undefined && written > before.written ? now.toISOString() : before?.grewAt;
    const active = grewAt !== undefined && now.getTime() - Date.parse(grewAt) < s.deadLetterQuietMinutes * MINUTE;
    return {
      kind: 'dead-letters-growing' as const, about: topic, active, forMs: 0, value: count, threshold: null, remember: true,
      detail: { written, ...(grewAt ? { grewAt } : {}), ...(before?.written !== undefined ? { newSinceLastLook: written - before.written } : {}) },
    };
  }));
}

/** referral.sla-breached events of the last window, from the console's index. */
export async function slaConditions(db: Sql, s: AlertSettings, now: Date): Promise<AlertCondition[]> {
  const from = new Date(now.getTime() - s.slaWindowMinutes * MINUTE);
  const { rows } = await db.query<{ count: string; latest: Date | null }>(
    `SELECT count(*) AS count, max(time) AS latest FROM console_events WHERE type LIKE 'fi.polku.referral.sla-breached.%' AND time > $1`,
    [from],
  );
  const count = Number(rows[0]?.count ?? 0);
  return [{ kind: 'sla-breached', about: 'backbone', active: count > 0, forMs: 0, value: count, threshold: 0, detail: { windowMinutes: s.slaWindowMinutes, ...(rows[0]?.latest ? { latest: rows[0].latest.toISOString() } : {}) } }];
}

/** Failed deliveries per hundred outcomes of the last window, from the console's index. */
export async function deliveryConditions(db: Sql, s: AlertSettings, now: Date): Promise<AlertCondition[]> {
  const from = new Date(now.getTime() - s.deliveryWindowMinutes * MINUTE);
  const { rows } = await db.query<{ failed: string; succeeded: string }>(
    `SELECT count(*) FILTER (WHERE type LIKE 'fi.polku.delivery.failed.%') AS failed, count(*) FILTER (WHERE type LIKE 'fi.polku.delivery.succeeded.%') AS succeeded
       FROM console_events WHERE type LIKE 'fi.polku.delivery.%' AND time > $1`,
    [from],
  );
  const failed = Number(rows[0]?.failed ?? 0);
  const total = failed + Number(rows[0]?.succeeded ?? 0);
  const percent = total === 0 ? 0 : Math.round((failed / total) * 1000) / 10;
  return [{
    kind: 'delivery-failure-rate', about: 'backbone', active: total >= s.deliveryMinOutcomes && percent >= s.deliveryFailurePercent, forMs: 0,
    value: percent, threshold: s.deliveryFailurePercent, detail: { failed, outcomes: total, windowMinutes: s.deliveryWindowMinutes },
  }];
}

/** Each service's `/health/ready`: not 200 (or no answer within 2 s) for some minutes. */
export async function readinessConditions(services: Readonly<Record<string, string>>, s: AlertSettings): Promise<AlertCondition[]> {
  return Promise.all(Object.entries(services).map(async ([service, url]) => {
    const detail = await askReadiness(url);
    const ready = 'status' in detail && detail.status === 200;
    return { kind: 'service-not-ready' as const, about: service, active: !ready, forMs: s.notReadyMinutes * MINUTE, value: null, threshold: null, detail: { url, ...detail } };
  }));
}

/** Unsent rows of the outbox (every process that enqueues shares it): only counted, never read. */
export async function outboxConditions(db: Sql, s: AlertSettings, now: Date): Promise<AlertCondition[]> {
  const { rows } = await db.query<{ count: string; oldest: Date | null }>('SELECT count(*) AS count, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL');
  const count = Number(rows[0]?.count ?? 0);
  const oldest = rows[0]?.oldest ?? null;
  const ageSeconds = oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0;
  return [{
    kind: 'outbox-backlog', about: 'backbone', active: count >= s.outboxRows || ageSeconds >= s.outboxAgeSeconds, forMs: 0,
    value: count, threshold: s.outboxRows, detail: { oldestAgeSeconds: ageSeconds, ageThresholdSeconds: s.outboxAgeSeconds },
  }];
}
