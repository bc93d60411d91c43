import { type IncomingRecord, type Transport, type TransportAdmin, type TransportConsumer } from '@polku/bus';
import type { Database, Sql } from '@polku/db';
import { errorCode, type Logger } from '@polku/service-kit';
import { readDeadLetter } from './dead-letter-record';

export interface RegisterOptions {
  db: Database;
  /** The raw transport (namespaced as the bus is): dead letters are read as stored, never validated. */
  transport: Transport;
  admin: TransportAdmin;
  logger: Logger;
  /** Replays after which a dead letter is parked. @defaultValue 3 */
  maxReplays: number;
  /** @defaultValue `console.dead-letters` */
  groupId?: string;
  /** Rows are forgotten when the dead-letter topic's retention has dropped their record. @defaultValue 90 days (infra/retention.json) */
  keepMs?: number;
}

export interface RunningRegister {
  /** The dead-letter topics it reads. */
  topics: readonly string[];
  stop(): Promise<void>;
}

/**
 * Reads every `.dlq` topic there is at start into `dead_letters`, raw. A row is written before
 * its record is committed to Kafka and is keyed by the record's position, so a record read again
 * changes nothing; a database that is down is waited out, never skipped.
 */
export async function startDeadLetterRegister(options: RegisterOptions): Promise<RunningRegister> {
  const topics = (await options.admin.listTopics()).filter((topic) => topic.endsWith('.dlq')).sort();
  const logger = options.logger.child({ component: 'dead-letter-register' });
  let stopping = false;
  let consumer: TransportConsumer | undefined;
  if (topics.length > 0) {
    consumer = options.transport.consumer({ groupId: options.groupId ?? 'console.dead-letters', sessionTimeoutMs: 10_000, partitionConcurrency: 8 });
    await consumer.connect();
    await consumer.subscribe(topics, true);
    await consumer.run(async (record, context) => {
      for (let backoff = 100; ; backoff = Math.min(5000, backoff * 2)) {
        try {
          await options.db.transaction((tx) => registerDeadLetter(tx, record, options.maxReplays));
          break;
        } catch (error) {
          if (stopping) throw error;
          logger.warn({ code: errorCode(error), err: error, topic: record.topic, partition: record.partition, offset: record.offset, retryInMs: backoff }, 'dead letter not registered yet; retrying the same record');
          await new Promise((resolve) => setTimeout(resolve, backoff));
          await context.heartbeat();
        }
      }
      await context.commit();
    });
  }
  const keepMs = options.keepMs ?? 90 * 24 * 3600 * 1000;
  const sweep = setInterval(() => {
    options.db.query('DELETE FROM dead_letters WHERE dead_lettered_at < $1', [new Date(Date.now() - keepMs)])
      .catch((error: unknown) => logger.warn({ code: errorCode(error), err: error }, 'old dead letters not swept; trying again in an hour'));
  }, 3_600_000);
  sweep.unref();
  logger.info({ topics: topics.length }, 'dead-letter register started');
  return {
    topics,
    async stop() {
      stopping = true;
      clearInterval(sweep);
      await consumer?.disconnect();
    },
  };
}

/**
 * One dead letter into the register. A replay that failed again arrives carrying its replay
 * count; past `maxReplays` it is parked at once, so no one replays it a fourth time by accident.
 * @returns whether the row is new
 */
export async function registerDeadLetter(tx: Sql, record: IncomingRecord, maxReplays: number): Promise<boolean> {
  const row = readDeadLetter(record);
  const parked = row.replayCount >= maxReplays;
  const { rowCount } = await tx.query(
    `INSERT INTO dead_letters (id, dlq_topic, original_topic, original_partition, original_offset, consumer_group, consumer, error_code, error_message,
       attempts, event_id, event_type, delivery_id, replay_count, first_failure_at, dead_lettered_at, record_key, record_value, record_headers, parse_error, state, parked_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (id) DO NOTHING`,
    [row.id, row.dlqTopic, row.originalTopic, row.originalPartition, row.originalOffset, row.consumerGroup, row.consumer, row.errorCode, row.errorMessage,
      row.attempts, row.eventId, row.eventType, row.deliveryId, row.replayCount, row.firstFailureAt, row.deadLetteredAt, row.key, row.value, JSON.stringify(row.headers),
      row.parseError, parked ? 'parked' : 'open', parked ? 'replays-exhausted' : null],
  );
  return rowCount === 1;
}
