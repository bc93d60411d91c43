import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './bus-layer';
import type { FlowWatch } from './flow-watch';
import { driveIntake, type AcceptedReferral, type IntakeLoad } from './intake-load';
import { startCostMeter, type ProcessCost, type WatchedProcess } from './process-stats';
import { KINDS, kindSpec, type ReferralKind } from './referral-mix';

export interface KindFigures {
  accepted: number;
  /** Reached the state the kind is expected to end in (see `KINDS`). */
  reached: number;
  /** reached ÷ seconds from the phase's start to the last one reaching it. */
  perSecond: number;
  /** From sending the POST to the expected event's Kafka timestamp. */
  endToEndLatencyMs: { p50: number; p99: number };
}

export interface PhaseFigures {
  /** Requests per second asked for, or `max`. */
  rate: number | 'max';
  connections: number;
  intakeSeconds: number;
  answered: number;
  accepted: number;
  acceptedPerSecond: number;
  intakeLatencyMs: { p50: number; p99: number; max: number };
  errorsByStatus: Record<string, number>;
  connectionErrors: number;
  timeouts: number;
  /** Every kind together: referrals that reached their expected state, per second. */
  deliveredPerSecond: number;
  endToEndLatencyMs: { p50: number; p99: number };
  perKind: Record<ReferralKind, KindFigures>;
  /** From the phase's start until every accepted referral reached its state (or the wait gave up). */
  drainSeconds: number;
  /** Accepted but never reaching the expected state: each one fails the run. */
  lost: string[];
  /** Referrals whose expected event appeared under more than one event id. */
  duplicated: string[];
  processes: ProcessCost[];
}

export interface PhaseSettings extends IntakeLoad {
  watch: FlowWatch;
  processes: readonly WatchedProcess[];
  /** Give up on the stragglers when nothing new reached its state for this long. @defaultValue 60000 */
  stallMs?: number;
}

/** One stretch of load: intake for `seconds`, then wait until everything accepted has reached its state. */
export async function runPhase(settings: PhaseSettings): Promise<PhaseFigures> {
  const meter = startCostMeter(settings.processes);
  const startedAt = Date.now();
  const intake = await driveIntake(settings);
  const reachedAt = await drain(settings.watch, intake.accepted, settings.stallMs ?? 60_000);
  const drainSeconds = (Date.now() - startedAt) / 1000;
  const processes = meter.stop();

  const done = intake.accepted.filter((r) => reachedAt.has(r.id));
  const perKind = Object.fromEntries(KINDS.map(({ kind }) => {
    const accepted = intake.accepted.filter((r) => r.kind === kind);
    return [kind, kindFigures(accepted, reachedAt, startedAt)];
  })) as Record<ReferralKind, KindFigures>;
  const all = kindFigures(intake.accepted, reachedAt, startedAt);
  return {
    rate: settings.rate ?? 'max',
    connections: settings.connections,
    intakeSeconds: round(intake.seconds),
    answered: intake.answered,
    accepted: intake.accepted.length,
    acceptedPerSecond: Math.round(intake.accepted.length / intake.seconds),
    intakeLatencyMs: intake.latencyMs,
    errorsByStatus: intake.errorsByStatus,
    connectionErrors: intake.connectionErrors,
    timeouts: intake.timeouts,
    deliveredPerSecond: all.perSecond,
    endToEndLatencyMs: all.endToEndLatencyMs,
    perKind,
    drainSeconds: round(drainSeconds),
    lost: intake.accepted.filter((r) => !reachedAt.has(r.id)).map((r) => r.id),
    duplicated: done.filter((r) => (settings.watch.trail(r.id)?.eventIds.get(kindSpec(r.kind).expectedEvent)?.size ?? 0) > 1).map((r) => r.id),
    processes,
  };
}

/** Waits until every accepted referral's expected event is on the topic; returns when each got there. */
export async function drain(watch: FlowWatch, accepted: readonly Pick<AcceptedReferral, 'id' | 'kind'>[], stallMs: number): Promise<Map<string, number>> {
  const reachedAt = new Map<string, number>();
  let lastProgress = Date.now();
  for (;;) {
    for (const referral of accepted) {
      if (reachedAt.has(referral.id)) continue;
      const at = watch.trail(referral.id)?.firstSeen.get(kindSpec(referral.kind).expectedEvent);
      if (at !== undefined) {
        reachedAt.set(referral.id, at);
        lastProgress = Date.now();
      }
    }
    if (reachedAt.size === accepted.length || Date.now() - lastProgress > stallMs) return reachedAt;
    await sleep(250);
  }
}

function kindFigures(accepted: readonly AcceptedReferral[], reachedAt: ReadonlyMap<string, number>, startedAt: number): KindFigures {
  const reached = accepted.filter((r) => reachedAt.has(r.id));
  const last = reached.reduce((latest, r) => Math.max(latest, reachedAt.get(r.id)!), startedAt + 1);
  const latencies = reached.map((r) => reachedAt.get(r.id)! - r.sentAt).sort((a, b) => a - b);
  return {
    accepted: accepted.length,
    reached: reached.length,
    perSecond: Math.round(reached.length / ((last - startedAt) / 1000)),
    endToEndLatencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
