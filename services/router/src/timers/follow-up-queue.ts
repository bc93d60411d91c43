import type { Redis } from 'ioredis';
import type { Party, ReferralFollowUpDueV1 } from '@polku/contracts';
import { publishCaused } from '../publish-routing';
import type { RouterContext } from '../router-context';
import { createTimerQueue, type TimerData, type TimerQueue } from './timer-queue';

export const FOLLOW_UP_QUEUE = 'polku-router-follow-up';

export interface FollowUpJob extends TimerData {
  /** The service that does the follow-up: whoever held the referral when it closed. */
  lead: Party;
  /** The id of the closed event. */
  causationid: string;
  correlationid: string;
  legalBasis?: string | undefined;
}

export type FollowUpQueue = TimerQueue<FollowUpJob>;

export function createFollowUpQueue(ctx: RouterContext, connection: Redis, prefix: string): FollowUpQueue {
  return createTimerQueue<FollowUpJob>({
    name: FOLLOW_UP_QUEUE,
    jobIdPrefix: 'follow-up',
    connection,
    prefix,
    logger: ctx.logger,
    onDue: async (job, jobId) => {
      const data: ReferralFollowUpDueV1 = { referralId: job.referralId, lead: job.lead, dueAt: job.dueAt };
      const cause = { derivedFrom: jobId, causationid: job.causationid, correlationid: job.correlationid, legalbasis: job.legalBasis };
      await publishCaused(ctx.outbox, 'follow-up-due', job.referralId, cause, data);
      ctx.logger.info({ referralId: job.referralId, jobId }, 'follow-up due');
    },
  });
}
