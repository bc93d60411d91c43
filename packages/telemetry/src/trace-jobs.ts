import { inSpan, traceHeaders } from './tracing';

/** What a traced job carries in its data: the span that queued it. */
export interface TracedJobData {
  traceparent?: string;
}

/**
 * `{ traceparent }` of the current span, to spread into a BullMQ job's data when it is added, so
 * the job runs in the trace of the request or event that asked for it, however much later.
 */
export function jobTrace(): TracedJobData {
  return traceHeaders();
}

/**
 * Runs a job's work in a span continuing the trace its data carries (a job queued before jobs
 * carried one starts a trace of its own, never the worker's surroundings).
 */
export function inJobSpan<T>(queue: string, job: { id?: string | undefined; name?: string; data: TracedJobData }, fn: () => Promise<T>): Promise<T> {
  const attributes = { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.message.id': job.id };
  return inSpan({ name: `process ${queue}`, kind: 'consumer', attributes }, job.data.traceparent ?? null, fn);
}
