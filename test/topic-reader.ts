import { createKafkajsTransport, namespacedTransport } from '@polku/bus';
import type { CloudEvent } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import { eventually, testInfra, uniqueGroup } from './support';

/** One record as an operator's topic browser shows it. */
export interface TopicRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | undefined;
  headers: Record<string, string>;
  /** The value exactly as stored, for scans. */
  raw: string;
  /** The value parsed as an event, when it is one. */
  event: CloudEvent | undefined;
}

function parse(raw: string): CloudEvent | undefined {
  try {
    return JSON.parse(raw) as CloudEvent;
  } catch {
    return undefined;
  }
}

/** Everything on the topics (of a backbone's namespace, when given) now, from the first record to the high watermark of each partition. */
export async function readTopics(topics: string[], namespace?: string): Promise<TopicRecord[]> {
  const client = createKafkajsTransport({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-reader', logger: createLogger({ service: 'e2e-reader', level: 'silent' }) });
  const transport = namespace ? namespacedTransport(client, namespace) : client;
  const admin = transport.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, BigInt(p.high));
  await admin.disconnect();
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([at]) => at));
  const records: TopicRecord[] = [];
  if (remaining.size === 0) return records;

  const consumer = transport.consumer({ groupId: uniqueGroup('reader') });
  await consumer.connect();
  await consumer.subscribe(topics, true);
  await consumer.run(async (record) => {
    const raw = record.value?.toString() ?? '';
    records.push({ topic: record.topic, partition: record.partition, offset: Number(record.offset), key: record.key?.toString(), headers: record.headers, raw, event: parse(raw) });
    const at = `${record.topic}/${record.partition}`;
    if (BigInt(record.offset) + 1n >= (ends.get(at) ?? 0n)) remaining.delete(at);
  });
  try {
    await eventually(() => remaining.size === 0 || undefined, `reading ${topics.join(', ')} to the end`, 60_000);
  } finally {
    await consumer.disconnect();
  }
  return records;
}
