import type { Bus, ConsumerHandle } from '@polku/bus';
import type { Catalogue } from '@polku/catalogue';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { TOPICS, type ConsentGrantedV1 } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import type { Redis } from 'ioredis';
import type { RoutingRules } from './domain/rules';
import { handleReferralEvent } from './handle-referral-event';
import { asTyped } from './handlers/causing-event';
import { onConsentGranted } from './handlers/on-consent-granted';
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
  /** Asked about every recipient before routing discloses to it (`httpConsentDecider` in the process). */
  consent: ConsentDecider;
  logger: Logger;
  /** @defaultValue TOPICS.referral (tests give a fresh topic) */
  topic?: string;
  /** @defaultValue 'router' */
  groupId?: string;
  /** Where granted consents arrive. @defaultValue TOPICS.consent (tests give a fresh topic) */
  consentTopic?: string;
  /** @defaultValue 'router.consent' */
  consentGroupId?: string;
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
 * the router was down fire at once), then the consumers of the referral topic and the consent topic.
 */
export async function startRouter(deps: RouterDeps): Promise<RunningRouter> {
  const ctx: RouterContext = {
    outbox: { bus: deps.bus, topic: deps.topic ?? TOPICS.referral },
    memory: redisReferralMemory(deps.redis),
    catalogue: deps.catalogue,
    rules: deps.rules,
    timing: deps.timing,
    consent: deps.consent,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
  };
  const prefix = deps.queuePrefix ?? 'polku';
  const timers: RouterTimers = {
    // The SLA worker hands over behind the consent gate, which may start or stop a deadline: it needs the timers it belongs to.
    sla: createSlaQueue(ctx, deps.queueConnection, prefix, () => timers),
    followUps: createFollowUpQueue(ctx, deps.queueConnection, prefix),
  };
  const closeTimers = async () => {
    await Promise.all([timers.sla.close(), timers.followUps.close()]);
  };
  const consumers: ConsumerHandle[] = [];
  const stopConsumers = async () => {
    await Promise.all(consumers.map((c) => c.stop()));
  };
  try {
    consumers.push(await deps.bus.consume({
      groupId: deps.groupId ?? 'router',
      topics: [ctx.outbox.topic],
      fromBeginning: true,
      dedupe: true,
      // Routing waits out a short consent-service outage (about half a minute) before an
      // operator has to replay the referral from the dead-letter topic.
      maxAttempts: 10,
      backoff: { initialMs: 200, maxMs: 5000 },
      partitionConcurrency: deps.partitionConcurrency ?? 6,
      sessionTimeoutMs: deps.sessionTimeoutMs ?? 10_000,
      handler: handleReferralEvent(ctx, timers),
    }));
    // Granted consents resume routing. From the beginning, so a consent granted while the router was
    // down (or before this group existed) still resumes; dedupe makes replays cheap, and a consent
    // for a subject with nothing waiting costs one Redis read.
    consumers.push(await deps.bus.consume({
      groupId: deps.consentGroupId ?? 'router.consent',
      topics: [deps.consentTopic ?? TOPICS.consent],
      fromBeginning: true,
      dedupe: true,
      partitionConcurrency: deps.partitionConcurrency ?? 6,
      sessionTimeoutMs: deps.sessionTimeoutMs ?? 10_000,
      handler: async (event, context) => {
        if (event.type === 'fi.polku.consent.granted.v1') await onConsentGranted(ctx, timers, asTyped<ConsentGrantedV1>(event), context);
      },
    }));
  } catch (error) {
    await stopConsumers();
    await closeTimers();
    throw error;
  }
  return {
    timers,
    memory: ctx.memory,
    async stop() {
      await stopConsumers();
      await closeTimers();
    },
  };
}
