import type { Bus } from '@polku/bus';
import type { Catalogue } from '@polku/catalogue';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { TOPICS } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import { startProjection, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';
import type { Redis } from 'ioredis';
import { adoptActedOffsets, type ActedGroup } from './acted-offsets';
import type { RoutingRules } from './domain/rules';
import type { RouterTimers } from './handlers/router-timers';
import { sqlReferralMemory, type ReferralMemory } from './referral-memory';
import type { RouterContext, TimingSettings } from './router-context';
import { routerProjection } from './router-projection';
import { FOLLOW_UP_QUEUE, onFollowUpDue, type FollowUpJob } from './timers/follow-up-queue';
import { reconcileTimers, type ReconciledTimers } from './timers/reconcile-timers';
import { onSlaDue, SLA_QUEUE, type SlaJob } from './timers/sla-queue';
import { createTimerQueue } from './timers/timer-queue';

export interface RouterDeps {
  /** The memory, the outbox and the timers' state. Not closed here; the process runs the outbox relay beside it. */
  db: Database;
  bus: Bus;
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
  /** Where granted consents arrive. @defaultValue TOPICS.consent (tests give a fresh topic) */
  consentTopic?: string;
  /** The projection's name: its consumer group is `projection.<name>.g<generation>`. @defaultValue 'router' */
  projectionName?: string;
  /**
   * Consumer groups of the router before its memory was in PostgreSQL: on the projection's first
   * start their committed offsets become its acted offsets (see `adoptActedOffsets`). @defaultValue none
   */
  adoptGroups?: readonly ActedGroup[];
  /** Prefix of the BullMQ keys. @defaultValue 'polku' */
  queuePrefix?: string;
  /** Partitions handled at once; the handlings lock what they share. @defaultValue 6 (the referral topic's partitions) */
  partitionConcurrency?: number;
  /** How often the projection looks for a rebuild asked elsewhere. @defaultValue 2000 */
  watchMs?: number;
  /** @defaultValue the system clock */
  now?: () => Date;
}

export interface RunningRouter {
  timers: RouterTimers;
  /** The memory, read straight from the database. */
  memory: ReferralMemory;
  projection: RunningProjection;
  /** Adds again the job of every timer the memory says is set and Redis no longer has (see `reconcileTimers`). */
  reconcileTimers(): Promise<ReconciledTimers>;
  /** Stops the projection (the event in hand is finished and committed), then the timer workers. */
  stop(): Promise<void>;
}

/**
 * The running router without its HTTP side: the timer workers first (so timers that fell due while
 * the router was down fire at once), their jobs reconciled with the memory (a Redis that lost them
 * gets them back), then the projection over the referral and consent topics.
 */
export async function startRouter(deps: RouterDeps): Promise<RunningRouter> {
  const queueBase = { connection: deps.queueConnection, prefix: deps.queuePrefix ?? 'polku', logger: deps.logger, db: deps.db };
  const lockReferral = (tx: Sql, referralId: string) => sqlReferralMemory(tx).lock(referralId);
  // The workers read the context when a job falls due; the context holds the timers.
  const timers: RouterTimers = {
    sla: createTimerQueue<SlaJob>({ ...queueBase, name: SLA_QUEUE, kind: 'sla', lockReferral, onDue: (tx, job, jobId) => onSlaDue(ctx, tx, job, jobId) }),
    followUps: createTimerQueue<FollowUpJob>({ ...queueBase, name: FOLLOW_UP_QUEUE, kind: 'follow-up', lockReferral, onDue: (tx, job, jobId) => onFollowUpDue(ctx, tx, job, jobId) }),
  };
  const ctx: RouterContext = {
    db: deps.db,
    topic: deps.topic ?? TOPICS.referral,
    projection: deps.projectionName ?? 'router',
    timers,
    catalogue: deps.catalogue,
    rules: deps.rules,
    timing: deps.timing,
    consent: deps.consent,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
  };
  const closeTimers = async () => {
    await Promise.all([timers.sla.close(), timers.followUps.close()]);
  };
  const reconcile = () => reconcileTimers(deps.db, timers, ctx.now(), deps.logger);
  let projection: RunningProjection;
  try {
    await reconcile();
    await adoptActedOffsets(deps.db, deps.bus, ctx.projection, deps.adoptGroups ?? [], deps.logger);
    projection = await startProjection({
      db: deps.db,
      bus: deps.bus,
      logger: deps.logger,
      spec: routerProjection(ctx, { consentTopic: deps.consentTopic ?? TOPICS.consent, partitionConcurrency: deps.partitionConcurrency ?? 6 }),
      ...(deps.watchMs === undefined ? {} : { watchMs: deps.watchMs }),
    });
  } catch (error) {
    await closeTimers();
    throw error;
  }
  return {
    timers,
    memory: sqlReferralMemory(deps.db),
    projection,
    reconcileTimers: reconcile,
    async stop() {
      await projection.stop();
      await closeTimers();
    },
  };
}
