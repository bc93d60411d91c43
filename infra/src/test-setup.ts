import { dockerEngineMayExist, startContainers } from './containers';
import { up } from './local-infra';

/**
 * vitest globalSetup for every package with integration tests. It finds the broker and
 * Redis in this order: KAFKA_BROKERS / REDIS_URL when set (CI and `npm test` set them);
 * testcontainers when a Docker engine answers; otherwise the local broker (started if
 * needed and left running for the next run; `npm run infra:down` stops it).
 */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.KAFKA_BROKERS && process.env.REDIS_URL) return;
  if (!process.env.KAFKA_BROKERS && dockerEngineMayExist()) {
    try {
      const containers = await startContainers();
      process.env.KAFKA_BROKERS = containers.kafkaBrokers;
      process.env.REDIS_URL = containers.redisUrl;
      return () => containers.stop();
    } catch (error) {
      process.stderr.write(`[infra] Docker did not answer (${(error as Error).message}); using the local broker\n`);
    }
  }
  const infra = await up();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.REDIS_URL = infra.redisUrl;
}
