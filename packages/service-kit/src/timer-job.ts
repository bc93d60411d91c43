/**
 * BullMQ options of a one-shot timer (an SLA deadline, a follow-up, a consent's expiry):
 * one job per thing, due at a time, that publishes an event when it fires. A publish that
 * fails (broker away) is retried; the events' derived ids keep a retry harmless. A failed
 * timer is kept for an operator to see; a done one for `keepDoneSeconds`.
 * Plain data, so this package needs no BullMQ: it fits BullMQ's `JobsOptions`.
 */
export function timerJobOptions(jobId: string, dueAt: Date, now: Date, keepDoneSeconds: number) {
  return {
    jobId,
    delay: Math.max(0, dueAt.getTime() - now.getTime()),
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: keepDoneSeconds },
    removeOnFail: false,
  };
}
