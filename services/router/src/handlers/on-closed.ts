import type { ReferralClosedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';
import type { Logger } from '@polku/service-kit';
import { formatHelsinki } from '../domain/helsinki-time';
import { followUpAt } from '../domain/sla';
import { sqlReferralMemory } from '../referral-memory';
import type { RouterContext } from '../router-context';
import type { CausingEvent } from './causing-event';

/**
 * A closed referral needs no acceptance any more, and gets its "long enough" follow-up check: at
 * the date the closing service set, else `followUpMonths` after closing (the override wins in tests).
 */
export async function onClosed(ctx: RouterContext, tx: Sql, event: CausingEvent<ReferralClosedV1>, log: Logger): Promise<void> {
  const closed = event.data;
  const now = ctx.now();
  const record = await sqlReferralMemory(tx).lock(closed.referralId);
  await ctx.timers.sla.cancel(tx, closed.referralId);
  const dueAt = followUpDue(ctx, closed, now);
  await ctx.timers.followUps.schedule(
    tx,
    {
      referralId: closed.referralId,
      dueAt: formatHelsinki(dueAt),
      lead: record?.lead ?? closed.closedBy,
      causationid: event.id,
      correlationid: event.correlationid ?? record?.correlationid ?? event.id,
      legalBasis: record?.legalBasis ?? event.legalbasis,
    },
    dueAt,
    now,
  );
  log.info({ referralId: closed.referralId, reason: closed.reason, dueAt }, 'referral closed: follow-up scheduled');
}

function followUpDue(ctx: RouterContext, closed: ReferralClosedV1, now: Date): Date {
  const override = ctx.timing.followUpOverrideMs;
  if (override !== undefined) return new Date(now.getTime() + override);
  if (closed.followUpDueAt !== undefined) return new Date(closed.followUpDueAt);
  return followUpAt(new Date(closed.closedAt), ctx.timing.followUpMonths);
}
