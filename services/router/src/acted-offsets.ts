import type { Bus, RecordPosition } from '@polku/bus';
import type { Database, Sql } from '@polku/db';
import { currentGeneration, progressOf } from '@polku/projection';
import { PolkuError, type Logger } from '@polku/service-kit';

/**
 * Whether the router acts on this record (asks the consent service, announces events, sets
 * timers) or only replays it into its memory: a record below the partition's acted offset was
 * acted on before, by an earlier generation of the projection (a rebuild, or a store that was
 * emptied or restored replays the topics). Moves the acted offset in the handling's transaction,
 * so it commits with what the handling did.
 */
export async function actsOn(sql: Sql, projection: string, position: RecordPosition): Promise<boolean> {
  const offset = BigInt(position.offset);
  const { rows } = await sql.query<{ next_offset: string }>(
    'SELECT next_offset FROM router_acted_offsets WHERE projection = $1 AND topic = $2 AND partition = $3', [projection, position.topic, position.partition]);
  if (rows[0] && offset < BigInt(rows[0].next_offset)) return false;
  await setActed(sql, projection, position.topic, position.partition, offset + 1n);
  return true;
}

async function setActed(sql: Sql, projection: string, topic: string, partition: number, next: bigint): Promise<void> {
  await sql.query(
    `INSERT INTO router_acted_offsets (projection, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
     ON CONFLICT (projection, topic, partition) DO UPDATE SET next_offset = GREATEST(router_acted_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
    [projection, topic, partition, next.toString()],
  );
}

/**
 * The projection is replaying `topic` (after a rebuild) and has not yet reached what the router
 * had acted on: its memory of some referrals is still incomplete.
 */
export async function replaying(sql: Sql, projection: string, topic: string): Promise<boolean> {
  const progress = await progressOf(sql, projection, await currentGeneration(sql, projection));
  const { rows } = await sql.query<{ partition: number; next_offset: string }>('SELECT partition, next_offset FROM router_acted_offsets WHERE projection = $1 AND topic = $2', [projection, topic]);
  return rows.some((r) => (progress.get(`${topic}/${r.partition}`) ?? 0n) < BigInt(r.next_offset));
}

/**
 * Work that needs the whole memory (a granted consent looking up who waits, a deadline handing a
 * referral over) while a rebuild still replays the referral topic. Retryable: the bus (about half
 * a minute) or BullMQ (about a quarter of an hour) tries again, and what still finds the replay
 * unfinished is dead-lettered or kept as a failed job for an operator, never lost silently.
 */
export class MemoryReplaying extends PolkuError {
  constructor(projection: string) {
    super('ROUTER_MEMORY_REPLAYING', `the projection ${projection} is replaying the referral topic after a rebuild; its memory is not complete yet`, { retryable: true });
  }
}

/** Throws {@link MemoryReplaying} while the projection replays the referral topic. */
export async function requireWholeMemory(sql: Sql, projection: string, topic: string): Promise<void> {
  if (await replaying(sql, projection, topic)) throw new MemoryReplaying(projection);
}

/** A consumer group whose committed offsets say how far an earlier router acted. */
export interface ActedGroup {
  groupId: string;
  topic: string;
}

/**
 * On the first start of a projection (no acted offsets yet), takes the committed offsets of the
 * consumer groups the router used before its memory moved to PostgreSQL (`router`, `router.consent`)
 * as its acted offsets, so the history those groups handled is replayed into the memory instead of
 * being routed, announced and timed all over again.
 */
export async function adoptActedOffsets(db: Database, bus: Bus, projection: string, groups: readonly ActedGroup[], logger: Logger): Promise<number> {
  if (groups.length === 0) return 0;
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM router_acted_offsets WHERE projection = $1', [projection]);
  if (Number(rows[0]?.n ?? 0) > 0) return 0;
  const committed = (await Promise.all(groups.map((g) => bus.lag(g.groupId, [g.topic])))).flat().filter((row) => row.committedOffset !== null);
  await db.transaction(async (tx) => {
    for (const row of committed) await setActed(tx, projection, row.topic, row.partition, BigInt(row.committedOffset!));
  });
  if (committed.length > 0) logger.warn({ projection, groups: groups.map((g) => g.groupId), partitions: committed.length }, 'acted offsets taken from the earlier consumer groups: their history is replayed into the memory, not acted on again');
  return committed.length;
}
