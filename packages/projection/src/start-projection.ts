import { retryGroupFor, retryTopicFor, type Bus, type ConsumerHandle, type ConsumerHooks } from '@polku/bus';
import type { Database } from '@polku/db';
import { errorCode, type Logger } from '@polku/service-kit';
import { applyOnce } from './apply-once';
import { currentGeneration, groupOf, progressOf, rebuild, registerProjection } from './generation';
import type { ProjectionSpec } from './projection-spec';

export interface ProjectionOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  spec: ProjectionSpec;
  /** How often it looks for a rebuild asked elsewhere, or a store emptied under it. @defaultValue 2000 */
  watchMs?: number;
  /** Handled-event marks older than this are forgotten (a republished copy comes within seconds). @defaultValue 7 days */
  keepMarksMs?: number;
  /** The bus's observability hooks (after a record is applied and before Kafka has its commit, ...). */
  hooks?: ConsumerHooks;
}

export interface RunningProjection {
  readonly name: string;
  /** The generation being read now. */
  generation(): number;
  /** Records on its topics that this generation has not applied yet. */
  lag(): Promise<number>;
  /** Resolves once it has applied everything that was on its topics when asked (polling its lag). */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Finishes the record in hand and leaves the group. */
  stop(): Promise<void>;
}

/**
 * Runs a read model: a consumer group of its own generation reads its topics from the start,
 * and each record is applied effectively once (`applyOnce`). It replays the topics by itself
 * when its store is empty or behind the group (a new or restored database), and when a rebuild
 * is asked (`npm run rebuild`); several instances share the work by the group's partitions.
 */
export async function startProjection(options: ProjectionOptions): Promise<RunningProjection> {
  const { db, bus, spec } = options;
  const logger = options.logger.child({ projection: spec.name });
  const watchMs = options.watchMs ?? 2000;
  const keepMarksMs = options.keepMarksMs ?? 7 * 24 * 3600 * 1000;
  let generation = await registerProjection(db, spec.name, spec.tables);
  if (await storeBehindGroup(generation)) {
    generation = (await db.transaction((tx) => rebuild(tx, spec.name, generation))) ?? (await currentGeneration(db, spec.name));
    logger.warn({ generation }, 'projection store was empty or behind what its group had read (a new or restored database): replaying the topics from the start');
  }
  let consumer = await consume(generation);
  // Not awaited: joining one more group must not hold up the service's start.
  const retries = consumeRetries().catch((error: unknown) => {
    logger.warn({ code: errorCode(error), err: error }, 'projection does not read its retry topic: replays of its dead letters wait for its next start');
    return undefined;
  });
  let appliedHere = 0;
  let switching: Promise<void> | undefined;
  let lastPurge = 0;
  logger.info({ generation, group: groupOf(spec.name, generation) }, 'projection started');

  async function consume(g: number): Promise<ConsumerHandle> {
    return bus.consume({
      groupId: groupOf(spec.name, g),
      topics: spec.topics,
      fromBeginning: true,
      // No dedupe in the bus: the projection's own is by event id, in the same transaction as its rows.
      ...(spec.partitionConcurrency === undefined ? {} : { partitionConcurrency: spec.partitionConcurrency }),
      ...(spec.maxAttempts === undefined ? {} : { maxAttempts: spec.maxAttempts }),
      ...(spec.backoff === undefined ? {} : { backoff: spec.backoff }),
      ...(options.hooks ? { hooks: options.hooks } : {}),
      handler: async (event, context) => {
        if (await applyOnce(db, spec, g, event, context)) appliedHere += 1;
      },
    });
  }

  /**
   * Replays of this projection's dead letters (docs/dead-letters.md) come on a topic only it reads,
   * through a group that outlives its generations; applied like any record, so the event id's
   * mark drops a replay of something already applied. Read only where the topic is provisioned
   * (infra/topics.json); a deployment that adds it later starts reading at the next start.
   */
  async function consumeRetries(): Promise<ConsumerHandle | undefined> {
    const topic = retryTopicFor(`projection.${spec.name}`);
    if (!(await (await bus.admin()).listTopics()).includes(topic)) return undefined;
    return bus.consume({
      groupId: retryGroupFor(`projection.${spec.name}`),
      topics: [topic],
      fromBeginning: true,
      ...(spec.maxAttempts === undefined ? {} : { maxAttempts: spec.maxAttempts }),
      ...(spec.backoff === undefined ? {} : { backoff: spec.backoff }),
      ...(options.hooks ? { hooks: options.hooks } : {}),
      handler: async (event, context) => {
        if (await applyOnce(db, spec, generation, event, context)) appliedHere += 1;
      },
    });
  }

  /** The store has no progress for a group that has read, or less than it: someone emptied or restored it. */
  async function storeBehindGroup(g: number): Promise<boolean> {
    const committed = (await bus.lag(groupOf(spec.name, g), spec.topics)).filter((row) => row.committedOffset !== null);
    if (committed.length === 0) return false;
    const progress = await progressOf(db, spec.name, g);
    return committed.some((row) => (progress.get(`${row.topic}/${row.partition}`) ?? 0n) < BigInt(row.committedOffset!));
  }

  async function switchTo(next: number, why: string): Promise<void> {
    const previous = generation;
    await consumer.stop();
    generation = next;
    appliedHere = 0;
    consumer = await consume(next);
    logger.info({ from: previous, generation: next, why }, 'projection replays its topics from the start');
    const admin = await bus.admin();
    await admin.deleteGroups([groupOf(spec.name, previous)]).catch(() => {});
  }

  async function watch(): Promise<void> {
    const latest = await currentGeneration(db, spec.name);
    if (latest !== generation) return switchTo(latest, 'rebuilt');
    // Rows applied here and no progress left: the store was emptied under us.
    if (appliedHere > 0 && (await progressOf(db, spec.name, generation)).size === 0) {
      const next = (await db.transaction((tx) => rebuild(tx, spec.name, generation))) ?? (await currentGeneration(db, spec.name));
      return switchTo(next, 'store emptied');
    }
    if (Date.now() - lastPurge > 600_000) {
      lastPurge = Date.now();
      await db.query('DELETE FROM projection_handled WHERE projection = $1 AND handled_at < $2', [spec.name, new Date(Date.now() - keepMarksMs)]);
    }
  }

  const timer = setInterval(() => {
    switching ??= watch()
      .catch((error) => logger.warn({ code: errorCode(error), err: error }, 'projection watch failed; it looks again shortly'))
      .finally(() => (switching = undefined));
  }, watchMs);
  timer.unref();

  const lag = async () => (await bus.lag(groupOf(spec.name, generation), spec.topics)).reduce((sum, row) => sum + row.lag, 0);
  return {
    name: spec.name,
    generation: () => generation,
    lag,
    async caughtUp(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await lag()) > 0) {
        if (Date.now() > deadline) throw new Error(`projection ${spec.name} did not catch up within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      clearInterval(timer);
      await switching;
      await Promise.all([consumer.stop(), (await retries)?.stop()]);
    },
  };
}
