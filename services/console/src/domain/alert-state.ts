/** The kinds of alert the console evaluates (docs/console.md). */
export const ALERT_KINDS = ['consumer-lag', 'dead-letters-growing', 'sla-breached', 'delivery-failure-rate', 'service-not-ready', 'outbox-backlog'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertState = 'pending' | 'firing' | 'resolved';

/** What one evaluation found about one thing (a group, a topic, a service, …). */
export interface AlertCondition {
  kind: AlertKind;
  /** What it is about: a consumer group, a dead-letter topic, a service, or `backbone`. */
  about: string;
  /** Whether the condition holds now. */
  active: boolean;
  /** How long it must hold before the alert fires (0: at once). */
  forMs: number;
  value: number | null;
  threshold: number | null;
  detail: Record<string, unknown>;
  /** Keep a row even while it has never held (a baseline the next evaluation compares with). */
  remember?: boolean;
}

export interface AlertRow {
  key: string;
  kind: AlertKind;
  about: string;
  state: AlertState;
  /** When the alert entered its state. */
  since: string;
  /** When the condition began to hold in its current run; null while it does not. */
  activeSince: string | null;
  value: number | null;
  threshold: number | null;
  detail: Record<string, unknown>;
}

export const alertKey = (kind: AlertKind, about: string) => `${kind}:${about}`;

/**
 * The alert's next state: pending while the condition has held for less than its duration,
 * firing once it has, resolved when it no longer holds. `since` moves only when the state does.
 * @returns undefined when there is nothing to keep (it never held and needs no baseline)
 */
export function nextAlertState(previous: AlertRow | undefined, condition: AlertCondition, now: Date): AlertRow | undefined {
  const at = now.toISOString();
  const base = { key: alertKey(condition.kind, condition.about), kind: condition.kind, about: condition.about, value: condition.value, threshold: condition.threshold, detail: condition.detail };
  if (!condition.active) {
    if (!previous) return condition.remember ? { ...base, state: 'resolved', since: at, activeSince: null } : undefined;
    return { ...base, state: 'resolved', since: previous.state === 'resolved' ? previous.since : at, activeSince: null };
  }
  const activeSince = previous?.activeSince ?? at;
  const state: AlertState = now.getTime() - Date.parse(activeSince) >= condition.forMs ? 'firing' : 'pending';
  return { ...base, state, since: previous?.state === state ? previous.since : at, activeSince };
}
