import type { CloudEvent } from '@polku/contracts';
import { errorCode, type Logger } from '@polku/service-kit';
import { countConsumed, countDeadLettered, inSpan, UNREADABLE_EVENT_TYPE, type ActiveSpan } from '@polku/telemetry';
import type { ConsumerHooks, EventHandler, RecordPosition } from './consume-options';
import type { DeadLetterReason, DeadLetterWriter } from './dead-letter';
import { EVENT_HEADERS } from './headers';
import { runWithRetry, type BackoffOptions } from './retry';
import type { IncomingRecord, RecordContext } from './transport/types';
import { decodeEvent, type EventValidator } from './validation';

/** Everything one consumer needs to take a record from receipt to commit. */
export interface RecordPipeline {
  /** The consumer group: a label of every metric this pipeline counts. */
  groupId: string;
  handler: EventHandler;
  validate: EventValidator;
  deadLetters: DeadLetterWriter;
  logger: Logger;
  maxAttempts: number;
  backoff: Required<BackoffOptions>;
  hooks: ConsumerHooks;
  signal: AbortSignal;
}

/**
 * Receipt → decode and validate → handle with retries → commit. Redeliveries reach the handler
 * again: effectively-once handling is the projection's (`@polku/projection`, in PostgreSQL).
 * Every outcome but "stopped mid-retry" ends in a commit, so one bad record never blocks its partition.
 * Infrastructure failures (the dead-letter write, the commit) throw: the client then redelivers.
 */
export async function handleRecord(record: IncomingRecord, context: RecordContext, p: RecordPipeline): Promise<void> {
  if (p.signal.aborted) return;
  const position: RecordPosition = { topic: record.topic, partition: record.partition, offset: record.offset };
  const log = p.logger.child(position);
  let event: CloudEvent;
  try {
    event = decodeEvent(record.value, p.validate);
  } catch (error) {
    return deadLetter(record, context, { error, attempts: 0, firstFailureAt: new Date() }, p, log, UNREADABLE_EVENT_TYPE);
  }
  // In a span of the event's trace: what the handler logs, and every event it derives, carry it.
  const span = { name: `process ${record.topic}`, kind: 'consumer' as const, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': record.topic, 'messaging.message.id': event.id, 'cloudevents.event_type': event.type } };
  return inSpan(span, event.traceparent ?? record.headers[EVENT_HEADERS.traceparent] ?? null, (active) => handleEvent(event, record, position, context, p, log, active));
}

async function handleEvent(event: CloudEvent, record: IncomingRecord, position: RecordPosition, context: RecordContext, p: RecordPipeline, log: Logger, span: ActiveSpan): Promise<void> {
  const eventLog = log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationid });
  const outcome = await runWithRetry(
    (attempt) => p.handler(event, { ...position, logger: eventLog.child({ attempt }), attempt, headers: record.headers, signal: p.signal }),
    {
      maxAttempts: p.maxAttempts,
      backoff: p.backoff,
      heartbeat: context.heartbeat,
      signal: p.signal,
      onFailure: (err, attempt, willRetry) => eventLog.warn({ code: errorCode(err), attempt, willRetry, err }, 'handler failed'),
    },
  );
  if (outcome.status === 'aborted') {
    eventLog.info({ attempts: outcome.attempts }, 'stopped while waiting to retry: event left uncommitted');
    return;
  }
  if (outcome.status === 'failed') {
    span.end({ error: outcome.error });
    return deadLetter(record, context, outcome, p, eventLog, event.type);
  }
  await p.hooks.afterHandle?.(event, position);
  await context.commit();
  countConsumed({ topic: record.topic, type: event.type, group: p.groupId, outcome: 'handled' });
  eventLog.debug({ attempts: outcome.attempts }, 'event handled');
}

async function deadLetter(record: IncomingRecord, context: RecordContext, reason: DeadLetterReason, p: RecordPipeline, log: Logger, type: string): Promise<void> {
  const code = errorCode(reason.error);
  await p.deadLetters.send(record, reason);
  countDeadLettered({ topic: record.topic, group: p.groupId, code });
  log.error({ code, attempts: reason.attempts }, 'record dead-lettered');
  await p.hooks.afterDeadLetter?.({ topic: record.topic, partition: record.partition, offset: record.offset }, code);
  await context.commit();
  countConsumed({ topic: record.topic, type, group: p.groupId, outcome: 'dead_lettered' });
}
