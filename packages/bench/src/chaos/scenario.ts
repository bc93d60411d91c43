import { setTimeout as sleep } from 'node:timers/promises';
import { drain } from '../flow-phase';
import type { FlowWatch } from '../flow-watch';
import type { Fault, FaultContext } from './faults';
import { receiverCounts } from './receiver-ledgers';
import { submitRetrying, type SubmitLoad } from './retrying-client';

/** One row of the chaos table. */
export interface ChaosRow {
  id: string;
  label: string;
  accepted: number;
  /** Answers 503 (the client retried each with the same Idempotency-Key). */
  unavailable: number;
  /** Requests with no answer (connection refused or cut; retried likewise). */
  noAnswer: number;
  /** Never accepted: other answers, or given up on after the client's patience ran out. */
  refused: Record<string, number>;
  /** Accepted referrals that reached the state their kind is expected to end in. */
  reached: number;
  /** Accepted, but never reaching that state. */
  lost: string[];
  /** The same referral taken twice by its receiving system, under two idempotency keys. */
  duplicated: string[];
  /** POSTs repeated under one idempotency key: at-least-once delivery, harmless by the key. */
  repeatedPosts: number;
  /** From the end of the burst until the last accepted referral reached its state. */
  drainSeconds: number;
  /** Why the scenario could not be run as it should, when it could not. */
  note?: string;
}

export interface ScenarioSettings extends Omit<SubmitLoad, 'url'> {
  fault: Fault;
  ctx: FaultContext;
  watch: FlowWatch;
  /** The stand-in receiving systems whose ledgers tell duplicates. */
  stubUrls: readonly string[];
  /** The fault strikes this long into the burst. @defaultValue 5000 */
  faultAfterMs?: number;
  /** Stragglers are lost when nothing new reached its state for this long. @defaultValue 180000 */
  stallMs?: number;
}

/** A burst of referrals with one fault striking in the middle of it, then the wait for every referral to arrive. */
export async function runScenario(s: ScenarioSettings): Promise<ChaosRow> {
  const url = s.ctx.backbone.urls.referralApi;
  let note: string | undefined;
  const faulting = sleep(s.faultAfterMs ?? 5000).then(() => s.fault.inject(s.ctx)).catch((error: Error) => {
    note = `the fault could not be injected: ${error.message}`;
  });
  const tally = await submitRetrying({ ...s, url });
  const burstEnded = Date.now();
  await faulting;
  const reachedAt = await drain(s.watch, tally.accepted, s.stallMs ?? 180_000);
  const last = [...reachedAt.values()].reduce((latest, at) => Math.max(latest, at), burstEnded);
  // A service that died by itself (not one the fault killed and restarted) is a finding too.
  const exited = Object.values(s.ctx.backbone.instances).flat().filter((p) => !p.running()).map((p) => p.name);
  if (exited.length > 0) note = [note, `exited by itself: ${exited.join(', ')}`].filter(Boolean).join('; ');
  const ids = new Set(tally.accepted.map((r) => r.id));
  const receivers = await receiverCounts(s.stubUrls, ids);
  return {
    id: s.fault.id,
    label: s.fault.label,
    accepted: tally.accepted.length,
    unavailable: tally.unavailable,
    noAnswer: tally.noAnswer,
    refused: tally.refused,
    reached: reachedAt.size,
    lost: tally.accepted.filter((r) => !reachedAt.has(r.id)).map((r) => r.id),
    duplicated: receivers.duplicated,
    repeatedPosts: receivers.repeatedPosts,
    drainSeconds: Math.round((last - burstEnded) / 100) / 10,
    ...(note ? { note } : {}),
  };
}

/** The table as Markdown: one row per scenario. */
export function chaosMarkdown(rows: readonly ChaosRow[]): string {
  const lines = [
    '| scenario | accepted | answered 503 | no answer | not accepted | reached end state | lost | duplicated | repeated POSTs (same key) | drain (s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label}${r.note ? ` (${r.note})` : ''} | ${r.accepted} | ${r.unavailable} | ${r.noAnswer} | ${Object.entries(r.refused).map(([k, n]) => `${k}: ${n}`).join(', ') || 0} | ${r.reached} | ${r.lost.length} | ${r.duplicated.length} | ${r.repeatedPosts} | ${r.drainSeconds} |`),
  ];
  return lines.join('\n');
}
