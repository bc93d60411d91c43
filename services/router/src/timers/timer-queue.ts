import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { timerJobOptions, type Logger } from '@polku/service-kit';

/**
 * Where a timer is, in BullMQ's own words (what an operator sees in any BullMQ tool too):
 * `delayed` until due, `waiting`/`active` while it fires, then `completed` or `failed`.
 */
export type TimerState = 'delayed' | 'waiting' | 'active' | 'completed' | 'failed';

export interface TimerView {
  dueAt: string;
  state: TimerState;
}

/** What every timer job carries: when it is due (RFC 3339), for the operator view and the event. */
export interface TimerData {
  referralId: string;
  dueAt: string;
}

/**
 * One delayed job per referral in a BullMQ queue. The jobs live in Redis, so they outlive the
 * process: a worker started after a restart runs whatever fell due meanwhile.
 */
export interface TimerQueue<T extends TimerData> {
  /** Sets the timer; a second call for the same referral is a no-op while the first job exists. */
  schedule(data: T, dueAt: Date, now: Date): Promise<void>;
  /** Removes a timer that has not fired; false when there was none, or it fired or is firing. */
  cancel(referralId: string): Promise<boolean>;
  describe(referralId: string): Promise<TimerView | undefined>;
  /** Stops taking jobs, lets the running one finish, then closes the queue. */
  close(): Promise<void>;
}

export interface TimerQueueOptions<T extends TimerData> {
  /** The BullMQ queue name. */
  name: string;
  /** `<jobIdPrefix>-<referralId>`: BullMQ refuses ':' in custom ids. */
  jobIdPrefix: string;
  /** A connection with `maxRetriesPerRequest: null`, which BullMQ workers need. Not closed here. */
  connection: Redis;
  /** Prefix of the queue's Redis keys. */
  prefix: string;
  logger: Logger;
  /** Runs when a timer falls due; throwing retries the job with backoff. */
  onDue: (data: T, jobId: string) => Promise<void>;
}

/** Fired timers stay this long: the operator view shows them and a late duplicate schedule stays a no-op. */
const KEEP_DONE_SECONDS = 400 * 24 * 60 * 60;

export function createTimerQueue<T extends TimerData>(options: TimerQueueOptions<T>): TimerQueue<T> {
  const { name, connection, prefix, logger } = options;
  const jobId = (referralId: string): string => `${options.jobIdPrefix}-${referralId}`;
  // Every type parameter spelled out: with a generic T BullMQ cannot infer the job name type.
  const queue = new Queue<T, void, string, T, void, string>(name, { connection, prefix });
  const worker = new Worker<T>(name, (job: Job<T>) => options.onDue(job.data, job.id ?? jobId(job.data.referralId)), { connection, prefix });
  queue.on('error', (err) => logger.error({ err, queue: name }, 'timer queue error'));
  worker.on('error', (err) => logger.error({ err, queue: name }, 'timer worker error'));
  worker.on('failed', (job, err) => logger.warn({ err, queue: name, jobId: job?.id, attempts: job?.attemptsMade }, 'timer job failed'));

  return {
    async schedule(data, dueAt, now) {
      await queue.add(name, data, timerJobOptions(jobId(data.referralId), dueAt, now, KEEP_DONE_SECONDS));
    },
    async cancel(referralId) {
      const job = await queue.getJob(jobId(referralId));
      // A timer that fired (or is firing) stays, so the operator view still shows it.
      const state = job ? toTimerState(await job.getState()) : undefined;
      if (!job || (state !== 'delayed' && state !== 'waiting')) return false;
      return (await queue.remove(job.id ?? jobId(referralId))) === 1;
    },
    async describe(referralId) {
      const job = await queue.getJob(jobId(referralId));
      if (!job) return undefined;
      return { dueAt: job.data.dueAt, state: toTimerState(await job.getState()) };
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** BullMQ's rarer states (prioritized, waiting-children, unknown) do not occur for these jobs; they read as waiting. */
function toTimerState(state: string): TimerState {
  return state === 'delayed' || state === 'active' || state === 'completed' || state === 'failed' ? state : 'waiting';
}
