/**
 * Bus throughput on a real broker and Redis. Not a test: run on demand.
 *   KAFKA_BROKERS=127.0.0.1:29092 REDIS_URL=redis://127.0.0.1:6379 pnpm --filter @polku/bus run bench [N]
 * 1. publish N events in batches of 100 (publishMany)
 * 2. a fresh group consumes and handles those N (validate + Redis dedupe + commit per event),
 *    once with partitionConcurrency 1 (the default) and once with 6 (the topic's partition count)
 * 3. with the second consumer running, publish min(N, 1000) events one by one: single-publish rate and
 *    end-to-end latency (publish call → handler)
 */
import { performance } from 'node:perf_hooks';
import type { CloudEvent } from '@polku/contracts';
import { freshTopic, referralSubmitted, testBus, unique, waitFor } from '../test/helpers';

const total = Number(process.argv[2] ?? 5000);
const single = Math.min(total, 1000);
const bus = testBus();
const topic = await freshTopic(bus, 'bench', 6);

const events = Array.from({ length: total }, referralSubmitted);
let start = performance.now();
for (let i = 0; i < events.length; i += 100) await bus.publishMany(topic, events.slice(i, i + 100));
const publishBatched = rate(total, start);

const sentAt = new Map<string, number>();
const latencies: number[] = [];

/** Starts a group on the topic from the beginning and resolves with its rate over the first N events. */
async function consumeBacklog(partitionConcurrency: number) {
  let handled = 0;
  const since = performance.now();
  const consumer = await bus.consume({
    groupId: unique('bench'), topics: [topic], fromBeginning: true, partitionConcurrency,
    handler: async (event: CloudEvent) => {
      handled++;
      const t0 = sentAt.get(event.id);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
    },
  });
  await waitFor(() => handled >= total, 300_000, `${total} handled`);
  return { consumer, perSecond: rate(total, since) };
}

const serial = await consumeBacklog(1);
await serial.consumer.stop();
const concurrent = await consumeBacklog(6);

start = performance.now();
for (const event of Array.from({ length: single }, referralSubmitted)) {
  sentAt.set(event.id, performance.now());
  await bus.publish(topic, event);
}
const publishSingle = rate(single, start);
await waitFor(() => latencies.length >= single, 120_000, 'latency samples');
await bus.close();

latencies.sort((a, b) => a - b);
console.log(JSON.stringify({
  events: total,
  publishBatchedPerSecond: publishBatched,
  consumeAndHandlePerSecond: { partitionConcurrency1: serial.perSecond, partitionConcurrency6: concurrent.perSecond },
  publishOneByOnePerSecond: publishSingle,
  endToEndLatencyMs: { samples: single, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
}, null, 2));

function rate(count: number, since: number): number {
  return Math.round(count / ((performance.now() - since) / 1000));
}

function percentile(sorted: number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
}
