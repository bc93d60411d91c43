import type { CloudEvent } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import type { BackoffOptions } from './retry';
import type { HeaderMap } from './transport/types';

/** Where a record sits in Kafka. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface HandlerContext extends RecordPosition {
  /** Child logger carrying eventId, eventType, correlationId, topic, partition, offset and attempt. */
  logger: Logger;
  /** 1 on first delivery to the handler, then 2, 3, ... on retries. */
  attempt: number;
  /** The record's headers (traceparent, correlation id, ...). */
  headers: HeaderMap;
  /**
   * Aborted when the consumer is asked to stop. The bus waits for the handler either way;
   * a handler may use it to cut an outbound wait short and throw, leaving the event uncommitted.
   */
  signal: AbortSignal;
}

/**
 * Handles one valid event. Throwing means "not handled": the event is retried with backoff,
 * then dead-lettered. Throw a `PolkuError` with `retryable: false` to dead-letter it at once. A
 * `PolkuError` with status 503 (a dependency is down, e.g. DATABASE_UNAVAILABLE) is retried until
 * the dependency is back and never dead-lettered (`isDependencyDown`).
 */
export type EventHandler = (event: CloudEvent, context: HandlerContext) => Promise<void>;

/** Observability hooks. A hook that throws is treated like an infrastructure failure: nothing is committed. */
export interface ConsumerHooks {
  /** After the handler succeeded, before its offset is committed. */
  afterHandle?: (event: CloudEvent, position: RecordPosition) => void | Promise<void>;
  /** After a record went to the dead-letter topic, before its offset is committed. */
  afterDeadLetter?: (position: RecordPosition, errorCode: string) => void | Promise<void>;
}

export interface ConsumeOptions {
  groupId: string;
  topics: string[];
  handler: EventHandler;
  /** Handler attempts per event, the first included, before it is dead-lettered (a dependency that is down does not count). @defaultValue 5 */
  maxAttempts?: number;
  /** Waits between attempts. @defaultValue `{ initialMs: 100, maxMs: 5000 }` */
  backoff?: BackoffOptions;
  /** Where a group with no committed offset starts: true = oldest record, false = only new ones. @defaultValue false */
  fromBeginning?: boolean;
  /**
   * A member silent this long is dropped from the group, and its partitions go to the others. Also
   * how long a restarted instance waits to join while its crashed predecessor still counts as a
   * member. Handlers heartbeat while they wait between retries, so a short session costs nothing.
   * @defaultValue 10000
   */
  sessionTimeoutMs?: number;
  /** @defaultValue 3000 */
  heartbeatIntervalMs?: number;
  /**
   * Partitions whose events are handled at the same time (events of one partition, i.e. of one
   * subject, are always handled in order). Each event is committed on its own, a broker round
   * trip, so a busy topic consumes faster with this set to its partition count; the handler
   * must then be safe to run concurrently for different subjects.
   * @defaultValue 1
   */
  partitionConcurrency?: number;
  hooks?: ConsumerHooks;
}

export interface ConsumerHandle {
  /**
   * Stops fetching, lets the handler that is running finish and commits it, then leaves the group.
   * A retry that is waiting for its backoff is abandoned uncommitted (it is redelivered later).
   */
  stop(): Promise<void>;
}

export const CONSUME_DEFAULTS = {
  maxAttempts: 5,
  sessionTimeoutMs: 10_000,
  backoff: { initialMs: 100, maxMs: 5000 },
  fromBeginning: false,
} as const;
