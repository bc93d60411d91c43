import { ROUTING_CATEGORIES } from '@polku/consent-policy';
import type { ReferralAwaitingConsentV1, ReferralRoutedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import { gateRecipients, partyKey, routingQuestion, type Coverage } from '../consent-gate';
import type { RoutedParty } from '../domain/decide-routing';
import { formatHelsinki } from '../domain/helsinki-time';
import { slaDeadline, type SlaDeadline } from '../domain/sla';
import { publishCaused, type Cause } from '../publish-routing';
import { sqlReferralMemory } from '../referral-memory';
import type { ReferralRecord } from '../referral-record';
import type { RouterContext } from '../router-context';

/** The ruleId of a routed event that resumes routing once consent covers a waiting recipient. */
export const CONSENT_GRANTED_RULE = 'consent-granted';

/** The gate's input from the router's record of a referral. */
export function gatedOf(record: ReferralRecord) {
  return {
    subjectRef: record.subjectRef, legalBasis: record.legalBasis, selfReferral: record.selfReferral === true,
    ...(record.submitterOrganisationId ? { discloser: { organisationId: record.submitterOrganisationId } } : {}),
  };
}

/** Whether two routed parties are the same recipient. */
export const sameRecipient = (a: RoutedParty, b: RoutedParty): boolean => a.organisationId === b.organisationId && partyKey(a) === partyKey(b);

/** Coverage as codes for the router's log line: who may receive and on what basis, who waits and why. */
export function coverageLog(coverage: readonly Coverage[]) {
  return coverage.map((c) => (c.covered ? { serviceId: partyKey(c.party), basis: c.basis } : { serviceId: partyKey(c.party), waiting: c.reason }));
}

/**
 * One `referral.awaiting-consent` per recipient not covered, each with its own derived id. Written
 * to the outbox right after the routed event, so the relay publishes them after it on the
 * referral's partition and the order holds for every reader.
 */
export async function publishAwaiting(ctx: RouterContext, tx: Sql, record: ReferralRecord, cause: Cause, waiting: readonly RoutedParty[], now: Date, idPrefix = 'awaiting'): Promise<void> {
  const { purpose } = routingQuestion(record.legalBasis);
  for (const recipient of waiting) {
    const data: ReferralAwaitingConsentV1 = {
      referralId: record.referralId,
      recipient: { ...recipient },
      dataCategories: [...ROUTING_CATEGORIES] as ReferralAwaitingConsentV1['dataCategories'],
      purpose,
      requestedAt: formatHelsinki(now),
    };
    await publishCaused(tx, ctx.topic, 'awaiting-consent', record.referralId, cause, data, `${idPrefix}/${partyKey(recipient)}`);
  }
}

/**
 * Starts the lead's deadline. `deadline` is the one decided at submission; a lead covered later gets
 * its working days from the moment it became covered (it could not act before).
 */
export async function startDeadline(ctx: RouterContext, tx: Sql, record: ReferralRecord, causationid: string, now: Date, deadline?: SlaDeadline): Promise<{ sla: string; dueAt: Date }> {
  const decided = deadline ?? slaDeadline({ urgency: record.urgency ?? 'routine', legalBasis: record.legalBasis, submittedAt: now }, ctx.rules.sla);
  const override = ctx.timing.slaOverrideMs;
  const dueAt = override === undefined ? decided.dueAt : new Date(now.getTime() + override);
  await ctx.timers.sla.schedule(tx, { referralId: record.referralId, dueAt: formatHelsinki(dueAt), sla: decided.sla, causationid, referral: record }, dueAt, now);
  return { sla: decided.sla, dueAt };
}

/**
 * Asks again for a referral's waiting recipients; for those now covered announces a `routed`
 * (the plan as it stands, `ruleId: consent-granted`) so the adapter host delivers to them, and
 * again an `awaiting-consent` for each recipient still waiting (the routed names the whole plan),
 * starts the deadline if the lead was among them, and forgets them as waiting. One transaction
 * holds all of it, so the order of the writes does not matter for a crash: either all of it is
 * remembered and announced, or none of it and the event (or job) is handled again.
 * Returns the coverage of the recipients that were waiting.
 */
export async function resumeWaiting(ctx: RouterContext, tx: Sql, record: ReferralRecord, cause: Cause, idPurpose: string, log: Logger): Promise<Coverage[]> {
  const memory = sqlReferralMemory(tx);
  const waiting = await memory.waiting(record.referralId);
  if (waiting.length === 0 || record.subjectRef === undefined) return [];
  const coverage = await gateRecipients(ctx.consent, ctx.catalogue, gatedOf(record), waiting);
  const covered = coverage.filter((c) => c.covered).map((c) => c.party);
  if (covered.length === 0) return coverage;
  const now = ctx.now();
  const data: ReferralRoutedV1 = {
    referralId: record.referralId,
    lead: { ...record.lead },
    coWorkers: (record.coWorkers ?? []).map((p) => ({ ...p })),
    ruleId: CONSENT_GRANTED_RULE,
    viaCoordinator: record.viaCoordinator,
    routedAt: formatHelsinki(now),
  };
  const routedId = await publishCaused(tx, ctx.topic, 'routed', record.referralId, cause, data, idPurpose);
  // The routed carries the whole plan: for the recipients still waiting, an awaiting-consent stays the latest word.
  const stillWaiting = coverage.filter((c) => !c.covered).map((c) => c.party);
  await publishAwaiting(ctx, tx, record, cause, stillWaiting, now, `${idPurpose}/awaiting`);
  await memory.resolveWaiting(record.referralId, covered);
  const leadCovered = covered.some((p) => sameRecipient(p, record.lead));
  const deadline = leadCovered ? await startDeadline(ctx, tx, record, routedId, now) : undefined;
  log.info({ referralId: record.referralId, coverage: coverageLog(coverage), leadCovered, sla: deadline?.sla, dueAt: deadline?.dueAt }, 'consent covers waiting recipients: routing resumed');
  return coverage;
}

/** A plan to publish behind the consent gate: a new referral's route, or a hand-over to the coordinator. */
export interface GatedPlan {
  /** The referral as remembered once the plan stands: its lead and co-workers are the plan's, the recipients asked about. */
  record: ReferralRecord;
  /** The plan as published (the same lead and co-workers as the record). */
  routed: ReferralRoutedV1;
  cause: Cause;
  now: Date;
  /**
   * `start`: a new referral's clock, started if the lead is covered (`decided`: the deadline decided
   * at submission). `keep`: a hand-over starts no clock; a running one carries on with a covered
   * coordinator and is stopped for an uncovered one (it starts when the coordinator becomes covered).
   */
  deadline: { start: SlaDeadline | undefined } | 'keep';
}

/**
 * Publishes a plan behind the consent gate, the one way every `routed` of the router is first
 * published (a resume republishes it, see `resumeWaiting`): ask the gate about every recipient
 * (`CONSENT_UNAVAILABLE`, retryable: the transaction rolls back, nothing is remembered or
 * announced) → remember the record → `routed` (the plan) → one `awaiting-consent` per recipient
 * not covered (`awaiting/<serviceId>`) → index them as waiting → the deadline (see
 * {@link GatedPlan.deadline}) → ask once more for the waiting ones, so a consent the consent
 * service granted while the gate was being asked resumes here (a grant the router handles after
 * this transaction began waits for it on the subject's lock, then finds the waiting ones itself).
 *
 * All of it is one transaction with the consumed event (or the timer's job), so no step needs to
 * come before another to survive a crash: the events are written to the outbox in the order
 * readers must see them, and the relay publishes them in that order once everything has committed.
 */
export async function publishGatedPlan(ctx: RouterContext, tx: Sql, plan: GatedPlan, log: Logger) {
  const { record, routed, cause, now } = plan;
  const memory = sqlReferralMemory(tx);
  if (record.subjectRef !== undefined) await memory.lockSubject(record.subjectRef);
  const coverage = await gateRecipients(ctx.consent, ctx.catalogue, gatedOf(record), [record.lead, ...(record.coWorkers ?? [])]);
  const waiting = coverage.filter((c) => !c.covered).map((c) => c.party);
  const leadCovered = !waiting.some((p) => sameRecipient(p, record.lead));

  await memory.put(record);
  const routedId = await publishCaused(tx, ctx.topic, 'routed', record.referralId, cause, routed);
  await publishAwaiting(ctx, tx, record, cause, waiting, now);
  if (waiting.length > 0 && record.subjectRef !== undefined) await memory.addWaiting(record.referralId, record.subjectRef, waiting);
  // An uncovered new holder cannot act: the clock it would inherit stops until it is covered.
  const deadlineStopped = plan.deadline === 'keep' && !leadCovered ? await ctx.timers.sla.cancel(tx, record.referralId) : false;
  const deadline = plan.deadline !== 'keep' && leadCovered ? await startDeadline(ctx, tx, record, routedId, now, plan.deadline.start) : undefined;
  if (waiting.length > 0 && record.subjectRef === undefined) {
    log.warn({ referralId: record.referralId, waiting: waiting.map((p) => p.serviceId) }, 'referral without a subject reference: recipients not allowed by statute can never be covered');
  }
  if (waiting.length > 0 && record.subjectRef !== undefined) await resumeWaiting(ctx, tx, record, cause, 'resume', log);
  return { routedId, coverage, waiting, leadCovered, deadline, deadlineStopped };
}

/** The plan of a hand-over to the area's guidance coordinator; `reason` is published as the ruleId. */
export function coordinatorPlan(record: ReferralRecord, coordinator: RoutedParty, reason: 'lead-declined' | 'sla-breached', now: Date): { record: ReferralRecord; routed: ReferralRoutedV1 } {
  return {
    record: { ...record, lead: coordinator, viaCoordinator: true, coWorkers: [] },
    routed: { referralId: record.referralId, lead: { ...coordinator }, coWorkers: [], ruleId: reason, viaCoordinator: true, routedAt: formatHelsinki(now) },
  };
}
