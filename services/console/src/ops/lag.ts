import type { Bus, PartitionLag } from '@polku/bus';
import type { Sql } from '@polku/db';

export interface PartitionLagView extends PartitionLag {
  /** Time of the oldest record the group has not consumed yet, from the console's index; null when none or not indexed. */
  oldestUnconsumedAt: string | null;
  oldestUnconsumedAgeSeconds: number | null;
}

export interface GroupLagView {
  groupId: string;
  lag: number;
  /** The oldest unconsumed record of any of its partitions. */
  oldestUnconsumedAgeSeconds: number | null;
  partitions: PartitionLagView[];
}

/**
 * Lag per consumer group and partition with the age of the oldest unconsumed event. The age is
 * the time of the record at the group's committed offset, looked up in the console's own index
 * of the four topics by topic, partition and offset: no consumer is started per question, and it
 * costs one indexed query per lagging partition. Topics the console does not index (the
 * checkpoints, the dead-letter topics) and records the console has not read yet have no age.
 */
export async function readLag(bus: Bus, db: Sql, now: Date = new Date()): Promise<GroupLagView[]> {
  const admin = await bus.admin();
  const groups = (await admin.listGroups()).sort();
  const views: GroupLagView[] = [];
  for (const groupId of groups) {
    const partitions = await Promise.all((await bus.lag(groupId)).map((row) => withAge(db, row, now)));
    if (partitions.length === 0) continue;
    const ages = partitions.map((p) => p.oldestUnconsumedAgeSeconds).filter((age): age is number => age !== null);
    views.push({ groupId, lag: partitions.reduce((sum, p) => sum + p.lag, 0), oldestUnconsumedAgeSeconds: ages.length > 0 ? Math.max(...ages) : null, partitions });
  }
  return views;
}

async function withAge(db: Sql, row: PartitionLag, now: Date): Promise<PartitionLagView> {
  if (row.lag <= 0) return { ...row, oldestUnconsumedAt: null, oldestUnconsumedAgeSeconds: null };
  // A compacted topic may have lost the record at the offset itself: the next one still there is the oldest.
  const { rows } = await db.query<{ time: Date }>(
    'SELECT time FROM console_events WHERE topic = $1 AND partition = $2 AND "offset" >= $3 ORDER BY "offset" LIMIT 1',
    [row.topic, row.partition, row.committedOffset ?? '0'],
  );
  const time = rows[0]?.time;
  if (!time) return { ...row, oldestUnconsumedAt: null, oldestUnconsumedAgeSeconds: null };
  return { ...row, oldestUnconsumedAt: time.toISOString(), oldestUnconsumedAgeSeconds: Math.max(0, Math.round((now.getTime() - time.getTime()) / 1000)) };
}
