import { gauge } from './metrics-registry';
import { scrapeSnapshot, type SnapshotOptions } from './metrics-snapshot';

/** The part of a BullMQ `Queue` read at scrape time (its own API, so its key layout stays its own). */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...states: QueueState[]): Promise<Partial<Record<string, number>>>;
}

/** The states an operator watches: waiting to run, running, waiting for their time, given up on. */
export const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

interface QueueRow { queue: string; state: QueueState; jobs: number }

const queues = new Set<CountableQueue>();
const read = async (queue: CountableQueue): Promise<QueueRow[]> => {
  const counts = await queue.getJobCounts(...QUEUE_STATES);
  return QUEUE_STATES.map((state) => ({ queue: queue.name, state, jobs: counts[state] ?? 0 }));
};
let snapshot = scrapeSnapshot(queues, read);

/** The queue counts as a scrape sees them (cached, under their deadline). */
export const queueSnapshot = () => snapshot();

/** Tests only: how long counts are cached and waited for. */
export function setQueueSnapshotOptions(options: SnapshotOptions): void {
  snapshot = scrapeSnapshot(queues, read, options);
}

/**
 * Adds a BullMQ queue to `polku_queue_jobs`, counted at scrape time.
 * @returns a function that removes it (when the queue closes)
 */
export function watchQueue(queue: CountableQueue): () => void {
  queues.add(queue);
  return () => void queues.delete(queue);
}

gauge({
  name: 'polku_queue_jobs',
  help: 'BullMQ jobs per queue and state (waiting, prioritized, active, delayed, failed), counted through BullMQ at scrape time.',
  labelNames: ['queue', 'state'] as const,
  async collect() {
    const { rows } = await snapshot();
    this.reset();
    // Two handles on one queue in a process (tests) count the same jobs: set, not added.
    for (const row of rows) this.set({ queue: row.queue, state: row.state }, row.jobs);
  },
});
