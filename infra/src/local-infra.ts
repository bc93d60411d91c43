import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadInfraConfig, type InfraConfig } from './config';
import { ensureKafkaBroker, stopKafkaBroker } from './kafka-broker';
import { ensurePostgres, stopOwnPostgres } from './postgres';
import { ensureRedis, stopOwnRedis } from './redis';
import { withLock } from './lock';

export interface Infra {
  kafkaBrokers: string;
  redisUrl: string;
  /** The database Polku uses (its tables are created by the services' migrations). */
  databaseUrl: string;
  /** What this call started; what it reused is left alone by `down` callers that check this. */
  started: { kafka: boolean; redis: boolean; postgres: boolean };
}

type Say = (line: string) => void;

const quiet: Say = (line) => void process.stderr.write(`[infra] ${line}\n`);

/**
 * Brings up what the backbone needs, reusing what already runs: an existing Kafka when
 * KAFKA_BROKERS is set, else our local broker; the Redis at REDIS_URL when set, else our own
 * redis-server (append-only file, no eviction); the PostgreSQL of `ensurePostgres`. Idempotent.
 */
export async function up(config: InfraConfig = loadInfraConfig(), say: Say = quiet): Promise<Infra> {
  mkdirSync(config.stateDir, { recursive: true });
  return withLock(join(config.stateDir, 'infra.lock'), async () => {
    const redis = await ensureRedis(config, say);
    const postgres = await ensurePostgres(config, say);
    const broker = config.externalKafkaBrokers ? { brokers: config.externalKafkaBrokers, startedNow: false } : await ensureKafkaBroker(config, say);
    return {
      kafkaBrokers: broker.brokers,
      redisUrl: redis.url,
      databaseUrl: postgres.url,
      started: { kafka: broker.startedNow, redis: redis.startedNow, postgres: postgres.startedNow },
    };
  });
}

/**
 * Stops the broker, the Redis and the PostgreSQL cluster that Polku started (found by their
 * pid files), and nothing else. `only` narrows it to what one `up` call started.
 */
export async function down(only: Partial<Infra['started']> = { kafka: true, redis: true, postgres: true }, config: InfraConfig = loadInfraConfig(), say: Say = quiet): Promise<void> {
  if (only.kafka) await stopKafkaBroker(config, say);
  if (only.redis) await stopOwnRedis(config, say);
  if (only.postgres) await stopOwnPostgres(config, say);
}
