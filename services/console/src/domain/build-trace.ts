import { typeParts } from './event-row';

/** An indexed event as the trace reads it back (console_events). */
export interface IndexedEvent {
  eventId: string;
  type: string;
  topic: string;
  partition: number;
  offset: string;
  time: string;
  referralId: string | null;
  consentId: string | null;
  correlationId: string | null;
  causationId: string | null;
  deliveryId: string | null;
  codes: Record<string, unknown>;
  disclosure: Record<string, unknown> | null;
}

/** A timer the router keeps in router_timers. */
export interface TimerRow {
  kind: 'sla' | 'follow-up';
  state: 'set' | 'stopped' | 'fired';
  dueAt: string;
  updatedAt: string;
}

/** The live BullMQ job of a delivery (its id is the delivery id), when the queue still has it. */
export interface DeliveryJob {
  deliveryId: string;
  state: string;
  attemptsMade: number;
  createdAt: string | null;
  lastAttemptAt: string | null;
  finishedAt: string | null;
}

/** One attempt of a delivery, as the adapter host logged it (adapter_host_delivery_attempts). */
export interface AttemptRow {
  deliveryId: string;
  adapterId: string;
  attempt: number;
  startedAt: string;
  endedAt: string;
  outcome: 'delivered' | 'failed-retrying' | 'failed' | 'stopped' | 'not-ready';
  errorCode: string | null;
  httpStatus: number | null;
}

/** Who reads the trace: an auditor also sees each disclosure-log entry in full. */
export type TraceView = 'operator' | 'auditor';

const TIMER_STATES = { set: 'due', stopped: 'cancelled', fired: 'fired' } as const;

/** Every event in log time order; events of the same instant by topic position, so the answer is stable. */
function inOrder(events: readonly IndexedEvent[]): IndexedEvent[] {
  return [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

const verbOf = (event: IndexedEvent) => typeParts(event.type).verb;
const entityOf = (event: IndexedEvent) => typeParts(event.type).entity;

function eventView(event: IndexedEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    topic: event.topic,
    partition: event.partition,
    offset: event.offset,
    time: event.time,
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
    ...(event.causationId ? { causationId: event.causationId } : {}),
    ...(event.deliveryId ? { deliveryId: event.deliveryId } : {}),
    ...(event.consentId && entityOf(event) === 'consent' ? { consentId: event.consentId } : {}),
    codes: event.codes,
  };
}

const attemptView = (row: AttemptRow) => ({
  attempt: row.attempt,
  startedAt: row.startedAt,
  endedAt: row.endedAt,
  outcome: row.outcome,
  ...(row.errorCode ? { errorCode: row.errorCode } : {}),
  ...(row.httpStatus !== null ? { externalHttpStatus: row.httpStatus } : {}),
});

/**
 * Each delivery: what the adapter host said of it (delivered, succeeded, failed), every attempt it
 * logged (a delivery under way has attempts before any event), and its job now.
 */
function deliveries(events: readonly IndexedEvent[], jobs: readonly DeliveryJob[], attempts: readonly AttemptRow[]) {
  const ids = [...new Set([...events.filter((e) => e.deliveryId && entityOf(e) !== 'disclosure').map((e) => e.deliveryId!), ...attempts.map((a) => a.deliveryId)])];
  return ids.map((deliveryId) => {
    const mine = events.filter((e) => e.deliveryId === deliveryId && entityOf(e) !== 'disclosure');
    const tried = attempts.filter((a) => a.deliveryId === deliveryId).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.attempt - b.attempt);
    const outcome = [...mine].reverse().find((e) => entityOf(e) === 'delivery');
    const delivered = mine.find((e) => verbOf(e) === 'delivered');
    const first = outcome ?? delivered ?? mine[0];
    const codes = (first?.codes ?? (tried[0] ? { adapterId: tried[0].adapterId } : {})) as { adapterId?: string; recipient?: unknown; attempts?: number; errorCode?: string; externalHttpStatus?: number; retryable?: boolean };
    const job = jobs.find((j) => j.deliveryId === deliveryId);
    const status = outcome ? verbOf(outcome) : delivered ? 'delivered' : 'queued';
    return {
      deliveryId,
      ...(codes.adapterId ? { adapterId: codes.adapterId } : {}),
      ...(codes.recipient ? { recipient: codes.recipient } : {}),
      status,
      ...(codes.attempts !== undefined ? { attempts: codes.attempts } : job ? { attempts: job.attemptsMade } : {}),
      ...(codes.errorCode ? { lastErrorCode: codes.errorCode } : {}),
      ...(codes.externalHttpStatus !== undefined ? { externalHttpStatus: codes.externalHttpStatus } : {}),
      ...(codes.retryable !== undefined ? { retryable: codes.retryable } : {}),
      attemptLog: tried.map(attemptView),
      events: mine.map((e) => ({ eventId: e.eventId, type: e.type, time: e.time })),
      ...(job ? { job: { state: job.state, attemptsMade: job.attemptsMade, createdAt: job.createdAt, lastAttemptAt: job.lastAttemptAt, finishedAt: job.finishedAt } } : {}),
    };
  });
}

/** Disclosure decisions as codes; the auditor's view adds the entry (subject reference, recipient user, fields, consent). */
function disclosures(events: readonly IndexedEvent[], view: TraceView) {
  return events
    .filter((e) => entityOf(e) === 'disclosure')
    .map((e) => ({
      eventId: e.eventId,
      time: e.time,
      ...(e.deliveryId ? { deliveryId: e.deliveryId } : {}),
      ...e.codes,
      ...(view === 'auditor' && e.disclosure ? { entry: e.disclosure } : {}),
    }));
}

/** Consent as codes: the router waiting for consent, and each change of a consent of the referral's subject. */
function consent(events: readonly IndexedEvent[]) {
  const waiting = events.filter((e) => verbOf(e) === 'awaiting-consent').map((e) => ({ eventId: e.eventId, time: e.time, decision: 'awaiting-consent', ...e.codes }));
  const changes = events.filter((e) => entityOf(e) === 'consent').map((e) => ({ eventId: e.eventId, time: e.time, consentId: e.consentId, decision: verbOf(e), ...e.codes }));
  return [...waiting, ...changes].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/** Timers: what the router holds now (due, cancelled, fired) and the timer events on the topic. */
function timers(rows: readonly TimerRow[], events: readonly IndexedEvent[]) {
  const held = rows.map((t) => ({ kind: t.kind, state: TIMER_STATES[t.state], dueAt: t.dueAt, changedAt: t.updatedAt }));
  const firedEvents = events
    .filter((e) => verbOf(e) === 'sla-breached' || verbOf(e) === 'follow-up-due')
    .map((e) => ({ eventId: e.eventId, type: e.type, time: e.time, ...(typeof e.codes.dueAt === 'string' ? { dueAt: e.codes.dueAt } : {}) }));
  return { held, events: firedEvents };
}

/**
 * One referral's whole path through the backbone, as codes and ids: every event in order, the
 * routing rule, consent and disclosure decisions, deliveries with their attempts, timers.
 */
export function buildTrace(referralId: string, input: { events: readonly IndexedEvent[]; timers: readonly TimerRow[]; jobs: readonly DeliveryJob[]; attempts?: readonly AttemptRow[] }, view: TraceView) {
  const events = inOrder(input.events);
  const routed = [...events].reverse().find((e) => e.type.startsWith('fi.polku.referral.routed.'));
  const status = [...events].reverse().find((e) => entityOf(e) === 'referral' && !['sla-breached', 'follow-up-due', 'awaiting-consent'].includes(verbOf(e)));
  return {
    referralId,
    ...(status ? { lastStatus: verbOf(status) } : {}),
    events: events.map(eventView),
    ...(routed ? { routing: { eventId: routed.eventId, ...routed.codes } } : {}),
    consent: consent(events),
    disclosures: disclosures(events, view),
    deliveries: deliveries(events, input.jobs, input.attempts ?? []),
    timers: timers(input.timers, events),
  };
}

export type Trace = ReturnType<typeof buildTrace>;
