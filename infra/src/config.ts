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
  /** An existing Redis to use instead of Polku's own (REDIS_URL); it must answer. */
  externalRedisUrl: string | undefined;
  /** Port of Polku's own Redis (append-only file, no eviction). @defaultValue 6390 */
  ownRedisPort: number;
  /** An existing Kafka to use instead of starting one (comma-separated host:port). */
  externalKafkaBrokers: string | undefined;
  /** Maximum broker heap. @defaultValue `768m` */
  kafkaHeap: string;
  /** An existing PostgreSQL database to use (DATABASE_URL); it must answer. */
  databaseUrl: string | undefined;
  /** The machine's PostgreSQL, used when it answers. @defaultValue `postgres://postgres@127.0.0.1:5432/postgres` */
  machinePostgresUrl: string;
  /** Skip the machine's PostgreSQL and use Polku's own cluster (POLKU_OWN_POSTGRES=1). @defaultValue false */
  ownPostgres: boolean;
  /** Port of Polku's own cluster. @defaultValue 5490 */
  ownPostgresPort: number;
  /** The database Polku creates on the machine's PostgreSQL or its own. @defaultValue `polku` */
  databaseName: string;
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
    externalRedisUrl: env.REDIS_URL || undefined,
    ownRedisPort: port('POLKU_REDIS_PORT', env.POLKU_REDIS_PORT, 6390, problems),
    externalKafkaBrokers: env.KAFKA_BROKERS || undefined,
    kafkaHeap: env.POLKU_KAFKA_HEAP || '768m',
    databaseUrl: env.DATABASE_URL || undefined,
    machinePostgresUrl: env.POLKU_MACHINE_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    ownPostgres: env.POLKU_OWN_POSTGRES === '1' || env.POLKU_OWN_POSTGRES === 'true',
    ownPostgresPort: port('POLKU_POSTGRES_PORT', env.POLKU_POSTGRES_PORT, 5490, problems),
    databaseName: env.POLKU_DATABASE_NAME || 'polku',
  };
  if (!/^[a-z0-9_]+$/.test(config.databaseName)) problems.push(`POLKU_DATABASE_NAME must be lower-case letters, digits and underscores, got "${config.databaseName}"`);
  if (problems.length > 0) throw new Error(`invalid infrastructure settings:\n  ${problems.join('\n  ')}`);
  return Object.freeze(config);
}
