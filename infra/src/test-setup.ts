import { dockerEngineMayExist, startContainers } from './containers';
import { up } from './local-infra';
import { withRedisDatabase } from './redis';
import { freshTestDatabase } from './test-database';

/**
 * vitest globalSetup for every package with integration tests. It finds the broker, Redis and
 * PostgreSQL in this order: KAFKA_BROKERS / REDIS_URL / DATABASE_URL when set (CI and `npm test`
 * set them); testcontainers when a Docker engine answers; otherwise the local infrastructure
 * (started if needed and left running for the next run; `npm run infra:down` stops it).
 * Every run gets a fresh, migrated database of its own on that PostgreSQL, dropped when it ends:
 * the machine's PostgreSQL keeps its data, and packages tested at the same time must not share
 * an outbox (its relay publishes whatever rows it finds).
 */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.KAFKA_BROKERS && process.env.REDIS_URL && process.env.DATABASE_URL) return ownDatabase(process.env.DATABASE_URL);
  if (!process.env.KAFKA_BROKERS && dockerEngineMayExist()) {
    try {
      const containers = await startContainers();
      process.env.KAFKA_BROKERS = containers.kafkaBrokers;
      process.env.REDIS_URL = containers.redisUrl;
      process.env.DATABASE_URL = containers.databaseUrl;
      return () => containers.stop();
    } catch (error) {
      process.stderr.write(`[infra] Docker did not answer (${(error as Error).message}); using the local infrastructure\n`);
    }
  }
  const infra = await up();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  // The numbered database npm test uses too, so a demo on the same Redis keeps its queues.
  process.env.REDIS_URL = withRedisDatabase(infra.redisUrl, 9);
  return ownDatabase(infra.databaseUrl);
}

async function ownDatabase(serverUrl: string): Promise<() => Promise<void>> {
  const database = await freshTestDatabase(serverUrl);
  process.env.DATABASE_URL = database.url;
  return () => database.drop();
}
