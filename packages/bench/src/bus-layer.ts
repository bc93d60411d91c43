import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Bus } from '@polku/bus';
import { createEvent, type CloudEvent } from '@polku/contracts';

export interface BusFigures {
  events: number;
  /** publishMany, 100 events a call. */
  publishBatchedPerSecond: number;
  /** publish, one awaited call per event. */
  publishOneByOnePerSecond: number;
  /** A fresh group validating, de-duplicating (Redis) and committing each event, six partitions at once. */
  consumePerSecond: number;
  /** From the publish call to the handler, for the one-by-one events. */
  latencyMs: { p50: number; p99: number };
}

const EXAMPLE = new URL('../../../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url);

/** A valid referral.submitted as the referral API builds it, about a new referral each time. */
function referralSubmitted(example: CloudEvent): CloudEvent {
  const referralId = randomUUID();
  return createEvent('fi.polku.referral.submitted.v1', {
    source: '/polku/referral-api', subject: referralId, data: { ...example.data, referralId }, correlationid: referralId, legalbasis: 'consent',
  }) as unknown as CloudEvent;
}

/**
 * What the bus costs over the raw client: `events` events published in batches and consumed by a
 * handler that does nothing, then single publishes timed to the handler.
 */
export async function measureBus(bus: Bus, topic: string, events: number): Promise<BusFigures> {
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as CloudEvent;
  const batch = Array.from({ length: events }, () => referralSubmitted(example));
  let start = performance.now();
  for (let i = 0; i < batch.length; i += 100) await bus.publishMany(topic, batch.slice(i, i + 100));
  const publishBatchedPerSecond = perSecond(events, start);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let handled = 0;
  let caughtUp: () => void;
  const backlog = new Promise<void>((resolve) => (caughtUp = resolve));
  start = performance.now();
  const consumer = await bus.consume({
    groupId: `bench-bus-${randomUUID()}`, topics: [topic], fromBeginning: true, partitionConcurrency: 6,
    handler: async (event) => {
      handled += 1;
      const t0 = sentAt.get(event.id);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
      if (handled === events) caughtUp();
    },
  });
  await backlog;
  const consumePerSecond = perSecond(events, start);

  const single = Math.min(events, 1000);
  start = performance.now();
  for (const event of Array.from({ length: single }, () => referralSubmitted(example))) {
    sentAt.set(event.id, performance.now());
    await bus.publish(topic, event);
  }
  const publishOneByOnePerSecond = perSecond(single, start);
  const deadline = Date.now() + 60_000;
  while (latencies.length < single && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await consumer.stop();
  latencies.sort((a, b) => a - b);
  return { events, publishBatchedPerSecond, publishOneByOnePerSecond, consumePerSecond, latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) } };
}

function perSecond(count: number, since: number): number {
  return Math.round(count / ((performance.now() - since) / 1000));
}

/** The value at rank ⌊p·n⌋ of sorted values, rounded to 0.1. */
export function percentile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
}
