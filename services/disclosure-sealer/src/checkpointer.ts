import type { Bus } from '@polku/bus';
import type { CloudEvent } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import { buildCheckpoint, GENESIS_HASH, type SignatureProblem, type SigningKey } from '@polku/disclosure-log';
import { errorCode, type Logger } from '@polku/service-kit';

export interface CheckpointerOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  /** The sealer's key. */
  signingKey: SigningKey;
  logTopic: string;
  checkpointTopic: string;
  intervalMs: number;
  /** @defaultValue 1000 */
  maxEntries?: number;
}

export interface Checkpointer {
  /** Publishes a checkpoint for every partition with entries sealed since its last one. @returns checkpoints published */
  checkpointNow(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, each partition's entries sealed since its last checkpoint get one (or,
 * past `maxEntries`, several), signed with the sealer's key and published to the checkpoint
 * topic. The partition's head is locked meanwhile, so two sealer instances never checkpoint the
 * same range; a crash between publishing and recording publishes the same range again, which
 * a verifier accepts (the hashes agree).
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { db, logger } = options;
  const maxEntries = options.maxEntries ?? 1000;
  let running: Promise<number> | undefined;

  /** One checkpoint of the partition, if it has entries not yet checkpointed. */
  async function partitionOnce(tx: Sql, partition: number): Promise<'none' | 'some' | 'full'> {
    const { rows: heads } = await tx.query<{ checkpointed_offset: string | null; checkpointed_hash: string | null }>(
      'SELECT checkpointed_offset, checkpointed_hash FROM disclosure_seal_heads WHERE topic = $1 AND partition = $2 FOR UPDATE', [options.logTopic, partition]);
    const head = heads[0];
    if (!head) return 'none';
    const { rows } = await tx.query<{ offset: string; hash: string; problem: SignatureProblem | null }>(
      'SELECT "offset", hash, problem FROM disclosure_seal_entries WHERE topic = $1 AND partition = $2 AND "offset" > $3 ORDER BY "offset" LIMIT $4',
      [options.logTopic, partition, head.checkpointed_offset ?? -1, maxEntries]);
    if (rows.length === 0) return 'none';
    const entries = rows.map((r) => ({ offset: Number(r.offset), hash: r.hash }));
    const forged = rows.filter((r) => r.problem !== null).map((r) => ({ offset: Number(r.offset), problem: r.problem! }));
    const checkpoint = buildCheckpoint({ logTopic: options.logTopic, partition, previousHash: head.checkpointed_hash ?? GENESIS_HASH, entries, forged }, options.signingKey);
    await options.bus.publish(options.checkpointTopic, checkpoint as unknown as CloudEvent);
    const last = entries.at(-1)!;
    await tx.query('UPDATE disclosure_seal_heads SET checkpointed_offset = $3, checkpointed_hash = $4 WHERE topic = $1 AND partition = $2', [options.logTopic, partition, last.offset, last.hash]);
    logger.info({ partition, fromOffset: entries[0]!.offset, toOffset: last.offset, count: entries.length, forged: forged.length }, 'checkpoint published');
    return rows.length === maxEntries ? 'full' : 'some';
  }

  async function round(): Promise<number> {
    const { rows } = await db.query<{ partition: number }>('SELECT partition FROM disclosure_seal_heads WHERE topic = $1 ORDER BY partition', [options.logTopic]);
    let published = 0;
    for (const { partition } of rows) {
      for (;;) {
        const outcome = await db.transaction((tx) => partitionOnce(tx, partition));
        if (outcome !== 'none') published += 1;
        if (outcome !== 'full') break;
      }
    }
    return published;
  }

  const checkpointNow = () => (running ??= round().finally(() => (running = undefined)));
  const timer = setInterval(() => {
    checkpointNow().catch((error) => logger.warn({ code: errorCode(error), err: error }, 'checkpoint round failed; trying again next interval'));
  }, options.intervalMs);
  timer.unref();

  return {
    checkpointNow,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
