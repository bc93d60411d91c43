import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Whether a Kafka client error says "try again": kafkajs marks protocol errors such as
 * COORDINATOR_LOAD_IN_PROGRESS (a broker's group coordinator still loading after a restart) and
 * every connection error `retriable`; its own retries giving up is as retriable one level up.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const e = error as { retriable?: boolean; name?: string; originalError?: unknown } | undefined;
  if (!e) return false;
  if (e.retriable === true) return true;
  if (e.name === 'KafkaJSNumberOfRetriesExceeded' || e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSRequestTimeoutError') return true;
  return e.originalError !== undefined && isRetriableKafkaError(e.originalError);
}

/**
 * Runs `work` again, with backoff, while it fails with a retriable Kafka error and `deadlineMs`
 * has not passed; any other error, or the deadline, is thrown. A broker that restarts makes a
 * call wait, never crash the process.
 */
export async function retryRetriable<T>(work: () => Promise<T>, deadlineMs = 60_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let wait = 200; ; wait = Math.min(wait * 2, 5000)) {
    try {
      return await work();
    } catch (error) {
      if (!isRetriableKafkaError(error) || Date.now() + wait > deadline) throw error;
      await sleep(wait);
    }
  }
}
