import type { Party, ReferralFollowUpDueV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { publishCaused } from '../publish-routing';
import type { RouterContext } from '../router-context';
import type { TimerData, TimerQueue } from './timer-queue';

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

/** The follow-up check is due: announced (through the outbox, in the timer's transaction) with the service that held the referral. */
export async function onFollowUpDue(ctx: RouterContext, tx: Sql, job: FollowUpJob, jobId: string): Promise<void> {
  const data: ReferralFollowUpDueV1 = { referralId: job.referralId, lead: job.lead, dueAt: job.dueAt };
  const cause = { derivedFrom: jobId, causationid: job.causationid, correlationid: job.correlationid, legalbasis: job.legalBasis };
  await publishCaused(tx, ctx.topic, 'follow-up-due', job.referralId, cause, data);
  ctx.logger.info({ referralId: job.referralId, jobId }, 'follow-up due');
}
