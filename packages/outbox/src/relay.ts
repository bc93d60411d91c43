import type { Bus } from '@polku/bus';
import { validateEvent, type CloudEvent } from '@polku/contracts';
import type { Database } from '@polku/db';
import { errorCode, PolkuError, type Logger } from '@polku/service-kit';
import { watchOutbox } from '@polku/telemetry';
import type pg from 'pg';
import { outboxBacklog } from './backlog';
import { OUTBOX_CHANNEL } from './enqueue';

export interface RelayOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  /** Rows published per round. @defaultValue 500 */
  batchSize?: number;
  /** How often a standby relay tries to take over, and the longest an idle leader sleeps between looks. @defaultValue 1000 */
  pollMs?: number;
  /** Longest wait between attempts while Kafka refuses. @defaultValue 5000 */
  maxBackoffMs?: number;
  /** Sent rows are deleted after this long (they help an operator trace a request). @defaultValue 7 days */
  keepSentMs?: number;
}

export interface Relay {
  /** Rows written but not yet published. */
  backlog(): Promise<number>;
  /** Whether this instance holds the relay's lock and publishes. */
  isLeader(): boolean;
  /** Finishes the round in hand, lets go of the lock and closes its connection. */
  stop(): Promise<void>;
}

/** Session advisory lock of the one relay that publishes; any number may stand by. */
const RELAY_LOCK = 0x706f6c6b; // 'polk'

/**
 * Publishes outbox rows to Kafka in id order, in batches, and marks them sent. One relay at a
 * time publishes: it holds a session advisory lock on a connection of its own (released by the
 * database the moment that connection dies), so order per key holds however many instances run,
 * and a standby takes over within `pollMs` of the leader's death. While Kafka is away the leader
 * retries the same rows with backoff; intake goes on filling the outbox meanwhile.
 * At least once: a crash between publishing and marking republishes the batch, and consumers
 * drop the repeats by event id.
 */
export function startRelay(options: RelayOptions): Relay {
  const { db, bus, logger } = options;
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 1000;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const keepSentMs = options.keepSentMs ?? 7 * 24 * 3600 * 1000;
  let session: pg.PoolClient | undefined;
  let leader = false;
  let stopping = false;
  let wake: (() => void) | undefined;
  let lastCleanup = 0;

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      wake = undefined;
      resolve();
    }
    wake = done;
  });

  const dropSession = () => {
    if (leader) logger.warn('outbox relay lost its database session; another instance may take over');
    leader = false;
    session?.release(true);
    session = undefined;
  };

  /** Takes the lock if nobody holds it; LISTENs on the same connection so commits wake it at once. */
  async function tryLead(): Promise<boolean> {
    if (!session) {
      session = await db.connect();
      session.on('error', dropSession);
    }
    const { rows } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [RELAY_LOCK]);
    if (!rows[0]?.ok) return false;
    session.on('notification', () => wake?.());
    await session.query(`LISTEN ${OUTBOX_CHANNEL}`);
    logger.info('outbox relay leads: publishing');
    return true;
  }

  /** Publishes one batch. @returns how many rows it took (0: the outbox is empty) */
  async function round(): Promise<number> {
    const { rows } = await db.query<{ id: string; topic: string; event: CloudEvent }>('SELECT id, topic, event FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1', [batchSize]);
    if (rows.length === 0) return 0;
    // Consecutive rows of one topic go in one request; order across requests follows the ids.
    for (let i = 0; i < rows.length;) {
      const topic = rows[i]!.topic;
      let j = i;
      while (j < rows.length && rows[j]!.topic === topic) j++;
      await publishRun(topic, rows.slice(i, j).map((r) => r.event));
      i = j;
    }
    await db.query('UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]);
    return rows.length;
  }

  /** Validated again (a row written by an older version): one that fails goes to the dead letters, not round and round. */
  async function publishRun(topic: string, events: CloudEvent[]): Promise<void> {
    const valid: CloudEvent[] = [];
    for (const event of events) {
      const result = validateEvent(event);
      if (result.ok) valid.push(event);
      else {
        const error = new PolkuError('EVENT_INVALID', `outbox event breaks its contract at ${result.errors.map((e) => e.path || '/').join(', ')}`);
        await bus.deadLetter(topic, event, { error, attempts: 0, firstFailureAt: new Date(), by: 'outbox-relay' });
        logger.error({ eventId: event.id, eventType: event.type, topic }, 'outbox event dead-lettered: it breaks its contract');
      }
    }
    if (valid.length > 0) await bus.publishMany(topic, valid);
  }

  async function cleanup(): Promise<void> {
    if (Date.now() - lastCleanup < 600_000) return;
    lastCleanup = Date.now();
    await db.query('DELETE FROM outbox WHERE sent_at < $1', [new Date(Date.now() - keepSentMs)]);
  }

  // The backlog and this relay's part are on /metrics while it runs (read at scrape time).
  const unwatch = watchOutbox(async () => ({ ...(await outboxBacklog(db)), leader }));

  const running = (async () => {
    let backoff = 100;
    while (!stopping) {
      try {
        if (!leader) leader = await tryLead();
        if (!leader) {
          await sleep(pollMs);
          continue;
        }
        // The lock lives as long as this session: a session that has gone quiet is given up before it publishes.
        await session!.query('SELECT 1').catch((error) => {
          dropSession();
          throw error;
        });
        const published = await round();
        backoff = 100;
        if (published === batchSize) continue;
        await cleanup();
        await sleep(pollMs);
      } catch (error) {
        logger.warn({ code: errorCode(error), err: error, retryInMs: backoff }, 'outbox relay round failed; retrying');
        await sleep(backoff);
        backoff = Math.min(maxBackoffMs, backoff * 2);
      }
    }
  })();

  return {
    async backlog() {
      const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
      return Number(rows[0]?.n ?? 0);
    },
    isLeader: () => leader,
    async stop() {
      unwatch();
      stopping = true;
      wake?.();
      await running;
      if (session) {
        await session.query('SELECT pg_advisory_unlock_all()').catch(() => {});
        session.release();
        session = undefined;
      }
      leader = false;
    },
  };
}
