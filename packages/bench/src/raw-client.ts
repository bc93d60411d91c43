import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export interface RawClientFigures {
  records: number;
  producePerSecond: number;
  consumePerSecond: number;
}

/**
 * The Kafka client library the bus is built on (kafkajs), alone: no validation, no dedupe, no
 * per-event commit. It produces `records` 1 KB records in batches of 1,000 with the bus's producer
 * settings (idempotent, acks from all in-sync replicas), then a fresh group reads them back in
 * batches, committing automatically. What the bus adds on top is measured against this.
 */
export async function rawClientLoop(brokers: string[], topic: string, records: number): Promise<RawClientFigures> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const value = Buffer.alloc(1024, 'x');
  const batch = 1000;
  let start = performance.now();
  for (let sent = 0; sent < records; sent += batch) {
    const messages = Array.from({ length: Math.min(batch, records - sent) }, (_, i) => ({ key: String(sent + i), value }));
    await producer.send({ topic, acks: -1, messages });
  }
  const producePerSecond = Math.round(records / ((performance.now() - start) / 1000));
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  let joinedAt: number | undefined;
  // From joining the group, as ConsumerPerformance leaves the group join out of its rate.
  consumer.on(consumer.events.GROUP_JOIN, () => (joinedAt = performance.now()));
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch: fetched }) => {
        consumed += fetched.messages.length;
        if (consumed >= records) resolve();
      },
    });
  });
  start = performance.now();
  await done;
  const consumePerSecond = Math.round(records / ((performance.now() - (joinedAt ?? start)) / 1000));
  await consumer.disconnect();
  return { records, producePerSecond, consumePerSecond };
}
