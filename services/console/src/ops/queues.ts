import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { withDeadline } from '@polku/service-kit';

/**
 * The BullMQ queues of the backbone (the names the services give `new Queue`), with what their
 * jobs are: deliveries (one job per delivery, named by its adapter id) and timers.
 */
export const BACKBONE_QUEUES = [
  { name: 'polku-deliveries', service: 'adapter-host', kind: 'delivery' },
  { name: 'polku-router-sla', service: 'router', kind: 'timer', timerKind: 'sla' },
  { name: 'polku-router-follow-up', service: 'router', kind: 'timer', timerKind: 'follow-up' },
  { name: 'polku-consent-expiry', service: 'consent', kind: 'timer', timerKind: 'consent-expiry' },
] as const;

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
type QueueState = (typeof QUEUE_STATES)[number];
type Counts = Record<QueueState, number>;

/** Jobs listed per state to count them by adapter: past this the split says it is partial. */
const SPLIT_LIMIT = 5000;

export interface QueueView {
  queue: string;
  service: string;
  kind: 'delivery' | 'timer';
  timerKind?: string;
  counts: Counts;
  /** Deliveries only: the same counts per adapter (the job's name). */
  byAdapter?: Record<string, Counts>;
  /** True when a state held more jobs than were listed for the split by adapter. */
  byAdapterPartial?: boolean;
}

export interface BackboneQueues {
  read(): Promise<QueueView[]>;
  /** The adapter host's delivery queue, for the trace's job states. */
  deliveries: Queue;
  close(): Promise<void>;
}

const zero = (): Counts => ({ waiting: 0, active: 0, delayed: 0, failed: 0 });

/** Read-only handles on the backbone's queues (the console adds and runs no job). */
export function backboneQueues(connection: Redis, prefix: string): BackboneQueues {
  const queues = BACKBONE_QUEUES.map((spec) => ({ spec, queue: new Queue(spec.name, { connection, prefix }) }));
  const read = async (): Promise<QueueView[]> =>
    Promise.all(queues.map(async ({ spec, queue }) => {
      const counts = { ...zero(), ...(await queue.getJobCounts(...QUEUE_STATES)) } as Counts;
      const view: QueueView = { queue: spec.name, service: spec.service, kind: spec.kind, ...('timerKind' in spec ? { timerKind: spec.timerKind } : {}), counts };
      if (spec.kind !== 'delivery') return view;
      const byAdapter: Record<string, Counts> = {};
      for (const state of QUEUE_STATES) {
        if (counts[state] === 0) continue;
        // Only the job's name (its adapter id) is read of each job.
        for (const job of await queue.getJobs([state], 0, SPLIT_LIMIT - 1)) {
          if (!job) continue;
          (byAdapter[job.name] ??= zero())[state] += 1;
        }
      }
      return { ...view, byAdapter, byAdapterPartial: QUEUE_STATES.some((state) => counts[state] > SPLIT_LIMIT) };
    }));
  return {
    // Redis commands wait while it is away: a deadline, then 503.
    read: () => withDeadline(read(), 3000, 'the queues'),
    deliveries: queues[0]!.queue,
    close: async () => void (await Promise.all(queues.map(({ queue }) => queue.close()))),
  };
}
