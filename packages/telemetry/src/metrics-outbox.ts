import { gauge } from './metrics-registry';
import { scrapeSnapshot, type SnapshotOptions } from './metrics-snapshot';

/** What an outbox relay tells a scrape. */
export interface OutboxState {
  /** Rows written but not yet published. */
  unsent: number;
  /** Age of the oldest unsent row; 0 when there is none. */
  oldestUnsentSeconds: number;
  /** Whether this relay holds the lock and publishes. */
  leader: boolean;
}

export type OutboxSource = () => Promise<OutboxState>;

const sources = new Set<OutboxSource>();
const read = async (source: OutboxSource) => [await source()];
let snapshot = scrapeSnapshot(sources, read);

/** The outbox as a scrape sees it (cached, under its deadline). */
export const outboxSnapshot = () => snapshot();

/** Tests only: how long the backlog is cached and waited for. */
export function setOutboxSnapshotOptions(options: SnapshotOptions): void {
  snapshot = scrapeSnapshot(sources, read, options);
}

/**
 * Adds a relay to the outbox gauges, read at scrape time.
 * @returns a function that removes it (when the relay stops)
 */
export function watchOutbox(source: OutboxSource): () => void {
  sources.add(source);
  return () => void sources.delete(source);
}

/** Every relay of a database sees the same outbox: a process with several (tests) shows the largest. */
const largest = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

gauge({
  name: 'polku_outbox_unsent_events',
  help: 'Outbox rows not yet published to Kafka (the whole database\'s outbox: every relaying process shows the same; use max()).',
  async collect() {
    const { rows } = await snapshot();
    this.reset();
    if (rows.length > 0) this.set(largest(rows.map((r) => r.unsent)));
  },
});

gauge({
  name: 'polku_outbox_oldest_unsent_age_seconds',
  help: 'Age of the oldest outbox row not yet published; 0 when the outbox is empty.',
  async collect() {
    const { rows } = await snapshot();
    this.reset();
    if (rows.length > 0) this.set(largest(rows.map((r) => r.oldestUnsentSeconds)));
  },
});

gauge({
  name: 'polku_outbox_relay_leader',
  help: '1 when this process\'s outbox relay holds the lock and publishes; 0 while it stands by. Exactly one process per database should show 1.',
  async collect() {
    const { rows } = await snapshot();
    this.reset();
    if (rows.length > 0) this.set(rows.some((r) => r.leader) ? 1 : 0);
  },
});
