import { watchConsumerLag } from '@polku/telemetry';
import type { TransportAdmin } from './transport/types';

export interface PartitionLag {
  groupId: string;
  topic: string;
  partition: number;
  /** Offset of the next record the group will read; null when it has committed nothing yet. */
  committedOffset: string | null;
  /** Offset the next record written to the partition will get. */
  endOffset: string;
  /** Records written but not yet committed by the group. */
  lag: number;
}

/**
 * Consumer lag per partition. Without `topics`, every topic the group has committed offsets for.
 * A partition with no commit counts everything still in the log as lag.
 */
export async function consumerLag(admin: TransportAdmin, groupId: string, topics?: string[]): Promise<PartitionLag[]> {
  const committed = await admin.fetchOffsets(groupId, topics);
  const rows: PartitionLag[] = [];
  for (const { topic, partitions } of committed) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const end of ends) {
      const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const committedOffset = BigInt(offset) < 0n ? null : offset;
      const from = committedOffset ?? end.low;
      rows.push({ groupId, topic, partition: end.partition, committedOffset, endOffset: end.high, lag: Number(BigInt(end.high) - BigInt(from)) });
    }
  }
  return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/**
 * Puts a group's lag on `polku_kafka_consumer_lag` of this process, read from the broker at scrape
 * time. @returns a function that takes it off again (when the consumer stops)
 */
export function watchGroupLag(admin: () => Promise<TransportAdmin>, groupId: string, topics: string[]): () => void {
  return watchConsumerLag(async () => (await consumerLag(await admin(), groupId, topics)).map((row) => ({ group: groupId, topic: row.topic, partition: row.partition, lag: row.lag })));
}
