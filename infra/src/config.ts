import { join, resolve } from 'node:path';

/** Where the repository is and where local infrastructure keeps its state (git-ignored). */
export interface InfraConfig {
  repoRoot: string;
  /** @defaultValue `<repo>/.polku` */
  stateDir: string;
  /** Loopback port of the local broker's client listener. @defaultValue 19092 */
  kafkaPort: number;
  /** Loopback port of the broker's KRaft controller listener. @defaultValue 19093 */
  controllerPort: number;
  /** Redis to use when it answers. @defaultValue `redis://127.0.0.1:6379` */
  redisUrl: string;
  /** Port of the Redis we start ourselves when none answers. @defaultValue 6390 */
  ownRedisPort: number;
  /** An existing Kafka to use instead of starting one (comma-separated host:port). */
  externalKafkaBrokers: string | undefined;
  /** Maximum broker heap. @defaultValue `768m` */
  kafkaHeap: string;
}

function port(name: string, value: string | undefined, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) problems.push(`${name} must be a port number, got "${value}"`);
  return n;
}

export function loadInfraConfig(env: NodeJS.ProcessEnv = process.env): Readonly<InfraConfig> {
  const problems: string[] = [];
  const repoRoot = resolve(import.meta.dirname, '..', '..');
  const config: InfraConfig = {
    repoRoot,
    stateDir: env.POLKU_HOME || join(repoRoot, '.polku'),
    kafkaPort: port('POLKU_KAFKA_PORT', env.POLKU_KAFKA_PORT, 19092, problems),
    controllerPort: port('POLKU_KAFKA_CONTROLLER_PORT', env.POLKU_KAFKA_CONTROLLER_PORT, 19093, problems),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    ownRedisPort: port('POLKU_REDIS_PORT', env.POLKU_REDIS_PORT, 6390, problems),
    externalKafkaBrokers: env.KAFKA_BROKERS || undefined,
    kafkaHeap: env.POLKU_KAFKA_HEAP || '768m',
  };
  if (problems.length > 0) throw new Error(`invalid infrastructure settings:\n  ${problems.join('\n  ')}`);
  return Object.freeze(config);
}
