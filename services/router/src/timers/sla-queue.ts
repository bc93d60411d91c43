import type { Redis } from 'ioredis';
import type { ReferralSlaBreachedV1 } from '@polku/contracts';
import { coordinatorFor } from '../domain/decide-routing';
import { formatHelsinki } from '../domain/helsinki-time';
import type { SlaKind } from '../domain/sla';
import { coordinatorPlan, coverageLog, publishGatedPlan } from '../handlers/consent-routing';
import type { RouterTimers } from '../handlers/router-timers';
import { publishCaused, type Cause } from '../publish-routing';
import type { ReferralRecord } from '../referral-memory';
import type { RouterContext } from '../router-context';
import { createTimerQueue, type TimerData, type TimerQueue } from './timer-queue';

export const SLA_QUEUE = 'polku-router-sla';

export interface SlaJob extends TimerData {
  sla: SlaKind;
  /** The id of the routed event that started the clock. */
  causationid: string;
  /** The referral as it was routed: used when the memory record is gone (a flushed Redis). */
  referral: ReferralRecord;
}

export type SlaQueue = TimerQueue<SlaJob>;

/** `timers`: the router's timers, this queue among them (read when a job falls due). */
export function createSlaQueue(ctx: RouterContext, connection: Redis, prefix: string, timers: () => RouterTimers): SlaQueue {
  return createTimerQueue<SlaJob>({
    name: SLA_QUEUE,
    jobIdPrefix: 'sla',
    connection,
    prefix,
    logger: ctx.logger,
    onDue: (job, jobId) => onSlaDue(ctx, timers(), job, jobId),
  });
}

/**
 * The lead did not accept in time: say so, and hand the referral to the area's guidance coordinator
 * behind the consent gate (`publishGatedPlan`: a coordinator not covered waits for consent, with an
 * `awaiting-consent`), unless the coordinator holds it already (then the breach alone tells the
 * operators). No new deadline starts. The consent service not answering fails the job, which BullMQ
 * retries (the breach and the route keep their derived ids).
 */
async function onSlaDue(ctx: RouterContext, timers: RouterTimers, job: SlaJob, jobId: string): Promise<void> {
  const record = (await ctx.memory.get(job.referralId)) ?? job.referral;
  const cause: Cause = { derivedFrom: jobId, causationid: job.causationid, correlationid: record.correlationid, legalbasis: record.legalBasis };
  const now = ctx.now();
  const breach: ReferralSlaBreachedV1 = { referralId: record.referralId, sla: job.sla, responsible: record.lead, dueAt: job.dueAt, detectedAt: formatHelsinki(now) };
  await publishCaused(ctx.outbox, 'sla-breached', record.referralId, cause, breach);
  const log = ctx.logger.child({ referralId: record.referralId, jobId });
  if (record.viaCoordinator) {
    log.info({ sla: job.sla }, 'deadline passed with the coordinator: breach reported');
    return;
  }
  const coordinator = coordinatorFor(record, ctx.catalogue);
  // `keep`: this job is the deadline and is firing, so nothing is stopped or started here.
  const { coverage, leadCovered } = await publishGatedPlan(ctx, timers, { ...coordinatorPlan(record, coordinator, 'sla-breached', now), cause, now, remember: 'after-publish', deadline: 'keep' }, log);
  log.info(
    { sla: job.sla, coordinator: coordinator.serviceId, coverage: coverageLog(coverage) },
    leadCovered ? 'deadline passed: referral handed to the coordinator' : 'deadline passed: referral handed to the coordinator, who waits for consent',
  );
}
