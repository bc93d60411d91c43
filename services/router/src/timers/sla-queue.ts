import type { ReferralSlaBreachedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { requireWholeMemory } from '../acted-offsets';
import { coordinatorFor } from '../domain/decide-routing';
import { formatHelsinki } from '../domain/helsinki-time';
import type { SlaKind } from '../domain/sla';
import { coordinatorPlan, coverageLog, publishGatedPlan } from '../handlers/consent-routing';
import { publishCaused, type Cause } from '../publish-routing';
import { sqlReferralMemory } from '../referral-memory';
import type { ReferralRecord } from '../referral-record';
import type { RouterContext } from '../router-context';
import type { TimerData, TimerQueue } from './timer-queue';

export const SLA_QUEUE = 'polku-router-sla';

export interface SlaJob extends TimerData {
  sla: SlaKind;
  /** The id of the routed event that started the clock. */
  causationid: string;
  /** The referral as it was routed: used when the memory has no record of it (a job older than the memory's tables). */
  referral: ReferralRecord;
}

export type SlaQueue = TimerQueue<SlaJob>;

/**
 * The lead did not accept in time: say so, and hand the referral to the area's guidance coordinator
 * behind the consent gate (`publishGatedPlan`: a coordinator not covered waits for consent, with an
 * `awaiting-consent`), unless the coordinator holds it already (then the breach alone tells the
 * operators). No new deadline starts. All of it in the timer's transaction: the consent service
 * not answering fails the job before anything is remembered or announced, and BullMQ retries it
 * (the breach and the route keep their derived ids).
 */
export async function onSlaDue(ctx: RouterContext, tx: Sql, job: SlaJob, jobId: string): Promise<void> {
  // The hand-over needs the holder and the waiting recipients as they are, not as a replay has them so far.
  await requireWholeMemory(tx, ctx.projection, ctx.topic);
  // The timer's transaction holds the referral's locks already (`lockReferral`, taken before its row).
  const record = (await sqlReferralMemory(tx).get(job.referralId)) ?? job.referral;
  const cause: Cause = { derivedFrom: jobId, causationid: job.causationid, correlationid: record.correlationid, legalbasis: record.legalBasis };
  const now = ctx.now();
  const breach: ReferralSlaBreachedV1 = { referralId: record.referralId, sla: job.sla, responsible: record.lead, dueAt: job.dueAt, detectedAt: formatHelsinki(now) };
  await publishCaused(tx, ctx.topic, 'sla-breached', record.referralId, cause, breach);
  const log = ctx.logger.child({ referralId: record.referralId, jobId });
  if (record.viaCoordinator) {
    log.info({ sla: job.sla }, 'deadline passed with the coordinator: breach reported');
    return;
  }
  const coordinator = coordinatorFor(record, ctx.catalogue);
  // `keep`: this job is the deadline and is firing, so nothing is stopped or started here.
  const { coverage, leadCovered } = await publishGatedPlan(ctx, tx, { ...coordinatorPlan(record, coordinator, 'sla-breached', now), cause, now, deadline: 'keep' }, log);
  log.info(
    { sla: job.sla, coordinator: coordinator.serviceId, coverage: coverageLog(coverage) },
    leadCovered ? 'deadline passed: referral handed to the coordinator' : 'deadline passed: referral handed to the coordinator, who waits for consent',
  );
}
