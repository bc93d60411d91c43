import type { Bus } from '@polku/bus';
import type { Database } from '@polku/db';
import { errorCode, type Logger } from '@polku/service-kit';
import { nextAlertState, type AlertCondition, type AlertKind, type AlertRow } from '../domain/alert-state';
import type { AlertSettings } from './alert-settings';
import { allAlerts, saveAlert } from './alert-store';
import { deadLetterConditions, deliveryConditions, lagConditions, outboxConditions, readinessConditions, slaConditions } from './collect';

export interface AlertEvaluatorOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  settings: AlertSettings;
  /** Each service's base URL by name, whose `/health/ready` is polled. */
  services: Readonly<Record<string, string>>;
  /** @defaultValue 15000 */
  intervalMs?: number;
}

export interface AlertEvaluator {
  /** One evaluation now (tests; the timer calls it too). Resolves when its results are stored. */
  evaluate(now?: Date): Promise<void>;
  stop(): Promise<void>;
}

/** Serialises evaluations of every console instance: one writes a round, the others skip it. */
const ALERT_LOCK = 0x706b75616c;

/**
 * Evaluates every alert on a timer and keeps their state in console_alerts. A kind whose data
 * cannot be read this round (Kafka away) keeps its alerts as they were; a thing no longer seen
 * (a group deleted) resolves.
 */
export function startAlertEvaluator(options: AlertEvaluatorOptions): AlertEvaluator {
  const { db, bus, settings, logger } = options;
  let running: Promise<void> | undefined;

  async function collect(previous: ReadonlyMap<string, AlertRow>, now: Date): Promise<{ conditions: AlertCondition[]; kinds: Set<AlertKind> }> {
    const collectors: [AlertKind, () => Promise<AlertCondition[]>][] = [
      ['consumer-lag', () => lagConditions(bus, settings)],
      ['dead-letters-growing', () => deadLetterConditions(bus, previous, settings, now)],
      ['sla-breached', () => slaConditions(db, settings, now)],
      ['delivery-failure-rate', () => deliveryConditions(db, settings, now)],
      ['service-not-ready', () => readinessConditions(options.services, settings)],
      ['outbox-backlog', () => outboxConditions(db, settings, now)],
    ];
    const results = await Promise.all(collectors.map(async ([kind, run]) => {
      try {
        return { kind, conditions: await run() };
      } catch (error) {
        logger.warn({ kind, code: errorCode(error), err: error }, 'alert data could not be read this round; its alerts stay as they were');
        return { kind, conditions: undefined };
      }
    }));
    const kinds = new Set(results.filter((r) => r.conditions).map((r) => r.kind));
    return { conditions: results.flatMap((r) => r.conditions ?? []), kinds };
  }

  async function evaluate(now = new Date()): Promise<void> {
    const previous = await allAlerts(db);
    const { conditions, kinds } = await collect(previous, now);
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [ALERT_LOCK]);
      if (!rows[0]?.locked) return;
      const current = await allAlerts(tx, true);
      const seen = new Set<string>();
      for (const condition of conditions) {
        const key = `${condition.kind}:${condition.about}`;
        seen.add(key);
        const before = current.get(key);
        const next = nextAlertState(before, condition, now);
        if (!next) continue;
        if (next.state === 'firing' && before?.state !== 'firing') logger.warn({ alert: key, kind: next.kind, about: next.about, value: next.value, threshold: next.threshold }, 'alert firing');
        if (next.state === 'resolved' && before && before.state !== 'resolved') logger.info({ alert: key, kind: next.kind, about: next.about }, 'alert resolved');
        await saveAlert(tx, next, now);
      }
      // What was alerting and is no longer there at all (a group deleted, a service no longer polled) resolves.
      for (const [key, row] of current) {
        if (seen.has(key) || !kinds.has(row.kind) || row.state === 'resolved') continue;
        await saveAlert(tx, { ...row, state: 'resolved', since: now.toISOString(), activeSince: null }, now);
      }
    });
  }

  const tick = () => {
    running ??= evaluate()
      .catch((error) => logger.warn({ code: errorCode(error), err: error }, 'alert evaluation failed; the next round tries again'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.intervalMs ?? 15_000);
  timer.unref();
  return {
    evaluate: async (now) => {
      await running;
      await evaluate(now);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
