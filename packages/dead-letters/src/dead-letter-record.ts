import { consumerOf, DEAD_LETTER_HEADERS as H, EVENT_HEADERS, REPLAY_HEADERS, replayCountOf, type IncomingRecord } from '@polku/bus';

/** A dead letter as the register keeps it (the `dead_letters` table). */
export interface DeadLetterRow {
  id: string;
  dlqTopic: string;
  originalTopic: string;
  originalPartition: number | null;
  originalOffset: string | null;
  consumerGroup: string;
  consumer: string;
  errorCode: string;
  errorMessage: string;
  attempts: number;
  eventId: string | null;
  eventType: string | null;
  deliveryId: string | null;
  replayCount: number;
  firstFailureAt: string | null;
  deadLetteredAt: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  /** Why the value is not an event (not JSON, not an object): the API shows this and the size, never the bytes. */
  parseError: string | null;
}

/** `<dlq topic>/<partition>/<offset>`: a dead letter's own position, its id. */
export function deadLetterId(topic: string, partition: number, offset: string): string {
  return `${topic}/${partition}/${offset}`;
}

const position = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? value : null);

/** Reads a record of a `.dlq` topic; a record without the bus's headers is kept too, coded UNKNOWN. */
export function readDeadLetter(record: IncomingRecord): DeadLetterRow {
  const h = record.headers;
  const group = h[H.consumerGroup] ?? 'unknown';
  const value = record.value ?? Buffer.alloc(0);
  const timestamp = Number(record.timestamp);
  const partition = position(h[H.originalPartition]);
  return {
    id: deadLetterId(record.topic, record.partition, record.offset),
    dlqTopic: record.topic,
    originalTopic: h[H.originalTopic] ?? record.topic.replace(/\.dlq$/, ''),
    originalPartition: partition === null ? null : Number(partition),
    originalOffset: position(h[H.originalOffset]),
    consumerGroup: group,
    consumer: consumerOf(group),
    errorCode: h[H.errorCode] ?? 'UNKNOWN',
    errorMessage: h[H.errorMessage] ?? '',
    attempts: Number(h[H.attempts] ?? '0') || 0,
    eventId: h[EVENT_HEADERS.id] ?? null,
    eventType: h[EVENT_HEADERS.type] ?? null,
    deliveryId: h[REPLAY_HEADERS.deliveryId] ?? null,
    replayCount: replayCountOf(h),
    firstFailureAt: validTime(h[H.firstFailureAt]),
    deadLetteredAt: new Date(Number.isFinite(timestamp) && timestamp > 0 ? timestamp : Date.now()).toISOString(),
    key: record.key?.toString('utf8') ?? null,
    value,
    headers: h,
    parseError: parseErrorOf(value),
  };
}

function validTime(value: string | undefined): string | null {
  return value && !Number.isNaN(Date.parse(value)) ? value : null;
}

function parseErrorOf(value: Buffer): string | null {
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? null : 'the value is JSON but not an object';
  } catch (error) {
    // JSON.parse's message names a position, never the text.
    return `the value is not JSON: ${(error as Error).message.replace(/"[^"]*"/g, '…').slice(0, 200)}`;
  }
}
