import { randomUUID } from 'node:crypto';
import type { Transport, TransportConsumer } from '@polku/bus';
import type { Database } from '@polku/db';
import type { PublicKeyring } from '@polku/disclosure-log';
import { errorCode, type Logger } from '@polku/service-kit';
import { sealRecord } from './seal-record';

export interface SealerOptions {
  db: Database;
  /** The raw transport: the sealer must see every record exactly as stored, unvalidated, never dead-lettered. */
  transport: Transport;
  logger: Logger;
  keyring: PublicKeyring;
  logTopic: string;
  /** @defaultValue 10000 */
  sessionTimeoutMs?: number;
}

export interface RunningSealer {
  /** The consumer group the sealers share: one sealer per partition. */
  readonly groupId: string;
  /** Records sealed by this instance since it started. */
  sealed(): number;
  /** Finishes the record in hand (its transaction and commit) and leaves the group. */
  stop(): Promise<void>;
}

/**
 * Seals the disclosure log: a consumer group (`disclosure-sealer.<chain id>`) gives each
 * partition to one sealer, which takes its records in offset order and chains each one in a
 * PostgreSQL transaction (`sealRecord`) before committing it to Kafka. A failing database is
 * waited out, never skipped: a record is committed only once sealed.
 */
export async function startSealer(options: SealerOptions): Promise<RunningSealer> {
  const { db, logger } = options;
  const groupId = `disclosure-sealer.${await chainId(db)}`;
  const consumer: TransportConsumer = options.transport.consumer({ groupId, sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000, partitionConcurrency: 16 });
  let stopping = false;
  let count = 0;
  await consumer.connect();
  await consumer.subscribe([options.logTopic], true);
  await consumer.run(async (record, context) => {
    let backoff = 100;
    for (;;) {
      try {
        const outcome = await db.transaction((tx) => sealRecord(tx, record, options.keyring));
        if (outcome.sealed) {
          count += 1;
          if (outcome.problem) {
            logger.warn({ partition: record.partition, offset: record.offset, problem: outcome.problem }, 'disclosure-log entry without a valid service signature: sealed, and named as forged');
          }
        }
        break;
      } catch (error) {
        if (stopping) throw error;
        logger.warn({ code: errorCode(error), err: error, partition: record.partition, offset: record.offset, retryInMs: backoff }, 'sealing failed; retrying the same record');
        await new Promise((resolve) => setTimeout(resolve, backoff));
        await context.heartbeat();
        backoff = Math.min(5000, backoff * 2);
      }
    }
    await context.commit();
  });
  logger.info({ groupId, topic: options.logTopic }, 'disclosure sealer started');
  return {
    groupId,
    sealed: () => count,
    async stop() {
      stopping = true;
      await consumer.disconnect();
    },
  };
}

/** The chain's id, made once per database. */
async function chainId(db: Database): Promise<string> {
  await db.query('INSERT INTO disclosure_seal_state (id, chain_id) VALUES (1, $1) ON CONFLICT DO NOTHING', [randomUUID()]);
  const { rows } = await db.query<{ chain_id: string }>('SELECT chain_id FROM disclosure_seal_state WHERE id = 1');
  return rows[0]!.chain_id;
}
