import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBus, type Bus } from '@polku/bus';
import { loadTopicDeclarations } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';

export { eventually };

/** The broker and Redis the global setup found or started. */
export function testInfra(): { kafkaBrokers: string[]; redisUrl: string } {
  const brokers = process.env.KAFKA_BROKERS;
  const redisUrl = process.env.REDIS_URL;
  if (!brokers || !redisUrl) throw new Error('end-to-end tests need KAFKA_BROKERS and REDIS_URL (the vitest global setup sets them)');
  return { kafkaBrokers: brokers.split(','), redisUrl };
}

/** A bus on the real topics, which are provisioned (idempotently) first. */
export async function backboneBus(name: string): Promise<Bus> {
  const { kafkaBrokers, redisUrl } = testInfra();
  const bus = createBus({ brokers: kafkaBrokers, clientId: `e2e-${name}`, logger: createLogger({ service: `e2e-${name}`, level: 'silent' }), redisUrl });
  await bus.ensureTopics(loadTopicDeclarations());
  return bus;
}

export function uniqueGroup(name: string): string {
  return `e2e.${name}.${randomUUID()}`;
}

