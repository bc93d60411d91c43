import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBus, type Bus } from '@polku/bus';
import { loadTopicDeclarations } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';

export { eventually };

/** The broker, Redis and database the global setup found or started (the database is this run's own). */
export function testInfra(): { kafkaBrokers: string[]; redisUrl: string; databaseUrl: string } {
  const brokers = process.env.KAFKA_BROKERS;
  const redisUrl = process.env.REDIS_URL;
  const databaseUrl = process.env.DATABASE_URL;
  if (!brokers || !redisUrl || !databaseUrl) throw new Error('end-to-end tests need KAFKA_BROKERS, REDIS_URL and DATABASE_URL (the vitest global setup sets them)');
  return { kafkaBrokers: brokers.split(','), redisUrl, databaseUrl };
}

/** A bus on the real topics, which are provisioned (idempotently) first. */
export async function backboneBus(name: string): Promise<Bus> {
  const { kafkaBrokers } = testInfra();
  const bus = createBus({ brokers: kafkaBrokers, clientId: `e2e-${name}`, logger: createLogger({ service: `e2e-${name}`, level: 'silent' }) });
  await bus.ensureTopics(loadTopicDeclarations());
  return bus;
}

export function uniqueGroup(name: string): string {
  return `e2e.${name}.${randomUUID()}`;
}

