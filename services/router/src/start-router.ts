import type { Bus, ConsumerHandle } from '@polku/bus';
import type { Catalogue } from '@polku/catalogue';
import { TOPICS } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import type { Redis } from 'ioredis';
import type { RoutingRules } from './domain/rules';
import { handleReferralEvent } from './handle-referral-event';
import type { RouterTimers } from './handlers/router-timers';
import { redisReferralMemory, type ReferralMemory } from './referral-memory';
import type { RouterContext, TimingSettings } from './router-context';
import { createFollowUpQueue } from './timers/follow-up-queue';
import { createSlaQueue } from './timers/sla-queue';

export interface RouterDeps {
  bus: Bus;
  /** The referral memory's connection. Not closed here. */
  redis: Redis;
  /** BullMQ's connection: `maxRetriesPerRequest: null`, as its workers need. Not closed here. */
  queueConnection: Redis;
  catalogue: Catalogue;
  rules: RoutingRules;
  timing: TimingSettings;
  logger: Logger;
  /** @defaultValue TOPICS.referral (tests give a fresh topic) */
  topic?: string;
  /** @defaultValue 'router' */
  groupId?: string;
  /** Prefix of the BullMQ keys. @defaultValue 'polku' */
  queuePrefix?: string;
  /** Referral partitions handled at once; the handlers are safe across referrals. @defaultValue 6 (the topic's partitions) */
  partitionConcurrency?: number;
  /**
   * How soon a crashed router's partitions go to its successor. Handlers take milliseconds, so a
   * shorter session than the bus default (30 s) costs nothing and halves the gap after a SIGKILL.
   * @defaultValue 10000
   */
  sessionTimeoutMs?: number;
  /** @defaultValue the system clock */
  now?: () => Date;
}

export interface RunningRouter {
  timers: RouterTimers;
  memory: ReferralMemory;
  /** Stops the consumer (the event in hand is finished and committed), then the timer workers. */
  stop(): Promise<void>;
}

/**
 * The running router without its HTTP side: the timer workers first (so timers that fell due while
 * the router was down fire at once), then the consumer of the referral topic.
 */
export async function startRouter(deps: RouterDeps): Promise<RunningRouter> {
  const ctx: RouterContext = {
    outbox: { bus: deps.bus, topic: deps.topic ?? TOPICS.referral },
    memory: redisReferralMemory(deps.redis),
    catalogue: deps.catalogue,
    rules: deps.rules,
    timing: deps.timing,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
  };
  const prefix = deps.queuePrefix ?? 'polku';
  const timers: RouterTimers = {
    sla: createSlaQueue(ctx, deps.queueConnection, prefix),
    followUps: createFollowUpQueue(ctx, deps.queueConnection, prefix),
  };
  const closeTimers = async () => {
    await Promise.all([timers.sla.close(), timers.followUps.close()]);
  };
  let consumer: ConsumerHandle;
  try {
    consumer = await deps.bus.consume({
      groupId: deps.groupId ?? 'router',
      topics: [ctx.outbox.topic],
      fromBeginning: true,
      dedupe: true,
      partitionConcurrency: deps.partitionConcurrency ?? 6,
      sessionTimeoutMs: deps.sessionTimeoutMs ?? 10_000,
      handler: handleReferralEvent(ctx, timers),
    });
  } catch (error) {
    await closeTimers();
    throw error;
  }
  return {
    timers,
    memory: ctx.memory,
    async stop() {
      await consumer.stop();
      await closeTimers();
    },
  };
}
