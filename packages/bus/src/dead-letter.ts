import type { CloudEvent } from '@polku/contracts';
import { errorCode, errorMessage, maskIdentityCodes } from '@polku/service-kit';
import type { RecordPosition } from './consume-options';
import { DEAD_LETTER_HEADERS as H, eventHeaders } from './headers';
import { REPLAY_HEADERS, replayedFrom } from './replay';
import { deadLetterTopicFor } from './topics';
import type { Sender } from './sender';
import type { HeaderMap, IncomingRecord, OutgoingRecord } from './transport/types';

/** Why a record was given up on. */
export interface DeadLetterReason {
  error: unknown;
  /** Handler attempts made; 0 when the record never reached the handler (unparseable, invalid). */
  attempts: number;
  firstFailureAt: Date;
}

/** Longest error message carried in a header: enough to diagnose, not a dump. */
const MAX_MESSAGE_LENGTH = 1000;

/**
 * The dead letter keeps the original key, value and headers unchanged, so an operator can replay
 * it as it was, and adds headers saying where it came from and why it failed.
 */
export function deadLetterHeaders(record: IncomingRecord, reason: DeadLetterReason, groupId: string): HeaderMap {
  return {
    ...record.headers,
    [H.originalTopic]: record.topic,
    [H.originalPartition]: String(record.partition),
    [H.originalOffset]: record.offset,
    [H.errorCode]: errorCode(reason.error),
    // Masked like a log line: an error text may quote what it choked on.
    [H.errorMessage]: maskIdentityCodes(errorMessage(reason.error)).slice(0, MAX_MESSAGE_LENGTH),
    [H.attempts]: String(reason.attempts),
    [H.firstFailureAt]: reason.firstFailureAt.toISOString(),
    [H.consumerGroup]: groupId,
  };
}

export interface DeadLetterWriter {
  /** Resolves once the dead-letter topic has the record; rejects otherwise (the caller must not commit). */
  send(record: IncomingRecord, reason: DeadLetterReason): Promise<void>;
}

export function createDeadLetterWriter(sender: Sender, groupId: string): DeadLetterWriter {
  return {
    async send(record, reason) {
      // A replay read from a retry topic fails as the record it replays: same dead-letter topic and
      // position, so an operator sees one topic's dead letters in one place, with the replay count.
      const original = replayedFrom(record.headers);
      const as = original ? { ...record, ...original } : record;
      await sender.send(deadLetterTopicFor(as.topic), [
        { key: record.key?.toString('utf8') ?? null, value: record.value ?? '', headers: deadLetterHeaders(as, reason, groupId) },
      ]);
    },
  };
}

/** Why a process gave up on an event it had consumed earlier (e.g. a delivery job that failed for good). */
export interface ManualDeadLetterReason extends DeadLetterReason {
  /** Who gave up: a consumer group or a worker name; carried as the consumer-group header. */
  by: string;
  /** Where the event was read from, when known; without it the position headers are left out. */
  original?: RecordPosition;
  /** The delivery that failed, when the work was one delivery of the event: its replay re-queues that delivery. */
  deliveryId?: string;
  /** The headers of the record as it was read (a replay's count and origin travel on). */
  headers?: HeaderMap;
}

/**
 * A dead letter written by hand rather than by a consumer: the event as it was published
 * (same key, value and event headers), with the usual dead-letter headers.
 */
export function eventDeadLetterRecord(topic: string, event: CloudEvent, reason: ManualDeadLetterReason): { topic: string; record: OutgoingRecord } {
  const value = JSON.stringify(event);
  const original = reason.original ?? { topic, partition: -1, offset: '-1' };
  const replayed = reason.headers ? replayedFrom(reason.headers) : undefined;
  const carried: HeaderMap = { ...eventHeaders(event) };
  for (const name of [REPLAY_HEADERS.count, REPLAY_HEADERS.of]) if (reason.headers?.[name]) carried[name] = reason.headers[name];
  if (reason.deliveryId) carried[REPLAY_HEADERS.deliveryId] = reason.deliveryId;
  const record: IncomingRecord = { ...original, ...replayed, key: null, value: null, headers: carried, timestamp: '0' };
  const headers = deadLetterHeaders(record, reason, reason.by);
  if (!reason.original && !replayed) {
    delete headers[H.originalPartition];
    delete headers[H.originalOffset];
  }
  return { topic: deadLetterTopicFor(record.topic), record: { key: event.subject, value, headers } };
}
