import { randomUUID } from 'node:crypto';
import type { IncomingRecord, Transport } from '@polku/bus';

export interface TopicContents {
  records: IncomingRecord[];
  /** Per partition: the first offset still held and the next offset to be written, when read. */
  partitions: { partition: number; logStart: number; logEnd: number }[];
}

/**
 * Every record of `topic` from the oldest still held to the high watermark as it was when
 * asked, in offset order per partition, exactly as stored. A throwaway consumer group reads it
 * and is deleted afterwards.
 */
export async function readTopicToEnd(transport: Transport, topic: string, timeoutMs = 120_000): Promise<TopicContents> {
  const admin = transport.admin();
  await admin.connect();
  const groupId = `disclosures-audit.${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const partitions = offsets.map((p) => ({ partition: p.partition, logStart: Number(p.low), logEnd: Number(p.high) })).sort((a, b) => a.partition - b.partition);
    const remaining = new Set(partitions.filter((p) => p.logEnd > p.logStart).map((p) => p.partition));
    const records: IncomingRecord[] = [];
    if (remaining.size === 0) return { records, partitions };
    const ends = new Map(partitions.map((p) => [p.partition, p.logEnd]));
    const consumer = transport.consumer({ groupId });
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.connect();
    try {
      await consumer.subscribe([topic], true);
      await consumer.run(async (record) => {
        const end = ends.get(record.partition) ?? 0;
        if (Number(record.offset) < end) records.push(record);
        if (Number(record.offset) + 1 >= end && remaining.delete(record.partition) && remaining.size === 0) done();
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms`)), timeoutMs)))]);
      clearTimeout(timer);
    } finally {
      await consumer.disconnect();
    }
    return { records, partitions };
  } finally {
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect();
  }
}
