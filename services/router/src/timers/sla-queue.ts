import type { Redis } from 'ioredis';
import type { ReferralSlaBreachedV1 } from '@polku/contracts';
import { coordinatorFor } from '../domain/decide-routing';
import { formatHelsinki } from '../domain/helsinki-time';
import type { SlaKind } from '../domain/sla';
import { publishCaused, publishCoordinatorRoute, type Cause } from '../publish-routing';
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

export function createSlaQueue(ctx: RouterContext, connection: Redis, prefix: string): SlaQueue {
  return createTimerQueue<SlaJob>({
    name: SLA_QUEUE,
    jobIdPrefix: 'sla',
    connection,
    prefix,
    logger: ctx.logger,
    onDue: (job, jobId) => onSlaDue(ctx, job, jobId),
  });
}

/**
 * The lead did not accept in time: say so, and hand the referral to the area's guidance coordinator,
 * unless the coordinator holds it already (then the breach alone tells the operators).
 */
async function onSlaDue(ctx: RouterContext, job: SlaJob, jobId: string): Promise<void> {
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
  await publishCoordinatorRoute(ctx.outbox, record, coordinator, 'sla-breached', cause, now);
  await ctx.memory.put({ ...record, lead: coordinator, viaCoordinator: true });
  log.info({ sla: job.sla, coordinator: coordinator.serviceId }, 'deadline passed: referral handed to the coordinator');
}
