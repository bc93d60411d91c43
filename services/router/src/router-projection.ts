import type { CloudEvent } from '@polku/contracts';
import type { ProjectionSpec } from '@polku/projection';
import { actsOn } from './acted-offsets';
import { actOnEvent } from './act-on-event';
import { ROUTER_SOURCE } from './publish-routing';
import { MEMORY_TABLES } from './referral-memory';
import { replayOwnEvent, replaySubmitted } from './replay-memory';
import type { RouterContext } from './router-context';

export interface RouterProjectionOptions {
  /** Where granted consents arrive. */
  consentTopic: string;
  /** Partitions handled at once; handlings of one referral or one subject take its locks. */
  partitionConcurrency: number;
}

/**
 * The router as one projection (`ctx.projection`, default `router`) over the referral topic and
 * the consent topic. One projection, not one per topic: both write the same memory, so a rebuild
 * must empty it and replay both topics together. Nothing needs an order across the two topics:
 * a grant asks the consent service about whoever waits at that moment, and a referral routed
 * later asks the consent service itself.
 *
 * Each record, in the transaction that marks it handled:
 * - the router's own events (`routed`, `awaiting-consent`) are taken into rows being rebuilt (see replay-memory.ts);
 * - a record the router acted on before (below its acted offset: a rebuild replays it) only
 *   rebuilds the memory: no question to the consent service, no event, no timer;
 * - any other record is acted on (see act-on-event.ts), and the acted offset moves past it.
 */
export function routerProjection(ctx: RouterContext, options: RouterProjectionOptions): ProjectionSpec {
  return {
    name: ctx.projection,
    topics: [ctx.topic, options.consentTopic],
    tables: MEMORY_TABLES,
    partitionConcurrency: options.partitionConcurrency,
    // Failures of the handling itself: about half a minute before the record is dead-lettered. A
    // dependency that is down (the consent service, the database: a 503) is waited for without a limit.
    maxAttempts: 10,
    backoff: { initialMs: 200, maxMs: 5000 },
    async apply(tx, event: CloudEvent, context) {
      const acting = await actsOn(tx, ctx.projection, context);
      if (event.source === ROUTER_SOURCE) return replayOwnEvent(tx, event);
      if (acting) return actOnEvent(ctx, tx, event, context);
      if (event.type === 'fi.polku.referral.submitted.v1') return replaySubmitted(tx, event);
    },
  };
}
