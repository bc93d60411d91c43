import { errorCode, errorMessage, maskIdentityCodes } from '@polku/service-kit';
import { DEAD_LETTER_HEADERS as H } from './headers';
import { deadLetterTopicFor } from './topics';
import type { Sender } from './sender';
import type { HeaderMap, IncomingRecord } from './transport/types';

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
      await sender.send(deadLetterTopicFor(record.topic), [
        { key: record.key?.toString('utf8') ?? null, value: record.value ?? '', headers: deadLetterHeaders(record, reason, groupId) },
      ]);
    },
  };
}
