import { counter, DURATION_BUCKETS, gauge, histogram } from './metrics-registry';
import { scrapeSnapshot, type SnapshotOptions } from './metrics-snapshot';

const published = counter({
  name: 'polku_events_published_total',
  help: 'Events the broker acknowledged, by topic and event type (the outbox relay publishes through the bus: counted once, when sent).',
  labelNames: ['topic', 'type'] as const,
});

const consumed = counter({
  name: 'polku_events_consumed_total',
  help: 'Records a consumer group finished with and committed, by topic, event type, group and outcome (handled, dead_lettered).',
  labelNames: ['topic', 'type', 'group', 'outcome'] as const,
});

const deadLettered = counter({
  name: 'polku_events_dead_lettered_total',
  help: 'Records written to a dead-letter topic, by source topic, consumer group (or worker that gave up) and error code.',
  labelNames: ['topic', 'group', 'code'] as const,
});

const handlerDuration = histogram({
  name: 'polku_event_handler_duration_seconds',
  help: 'Time one handler attempt took, by consumer group and event type (waits between retries excluded).',
  labelNames: ['group', 'type'] as const,
  buckets: DURATION_BUCKETS,
});

/** Type label of a record that could not be read as an event at all. */
export const UNREADABLE_EVENT_TYPE = 'unreadable';

export function countPublished(topic: string, type: string, count = 1): void {
  published.inc({ topic, type }, count);
}

export function countConsumed(labels: { topic: string; type: string; group: string; outcome: 'handled' | 'dead_lettered' }): void {
  consumed.inc(labels);
}

export function countDeadLettered(labels: { topic: string; group: string; code: string }): void {
  deadLettered.inc(labels);
}

/** Starts timing one handler attempt; the returned function stops it. */
export function timeHandler(labels: { group: string; type: string }): () => void {
  const end = handlerDuration.startTimer(labels);
  return () => void end();
}

/** One partition's lag for one consumer group. */
export interface LagRow {
  group: string;
  topic: string;
  partition: number;
  /** Records written to the partition that the group has not committed yet. */
  lag: number;
}

/** Reads the lag of the consumer groups some part of this process runs (a bus, a raw consumer). */
export type LagSource = () => Promise<LagRow[]>;

const lagSources = new Set<LagSource>();
let lagSnapshot = scrapeSnapshot(lagSources, (source) => source());

/** The lag as a scrape sees it (cached, under its deadline). */
export const consumerLagSnapshot = () => lagSnapshot();

/**
 * Adds a source to `polku_kafka_consumer_lag`, read at scrape time (cached briefly, under a short
 * deadline). @returns a function that removes it (when the consumers stop)
 */
export function watchConsumerLag(source: LagSource): () => void {
  lagSources.add(source);
  return () => void lagSources.delete(source);
}

/** Tests only: how long lag is cached and waited for. */
export function setLagSnapshotOptions(options: SnapshotOptions): void {
  lagSnapshot = scrapeSnapshot(lagSources, (source) => source(), options);
}

gauge({
  name: 'polku_kafka_consumer_lag',
  help: 'Records not yet committed by a consumer group this process runs, per topic and partition, read from the broker at scrape time.',
  labelNames: ['group', 'topic', 'partition'] as const,
  async collect() {
    const snapshot = await lagSnapshot();
    this.reset();
    for (const row of snapshot.rows) this.set({ group: row.group, topic: row.topic, partition: String(row.partition) }, row.lag);
  },
});
