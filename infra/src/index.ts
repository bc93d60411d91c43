export { up, down, type Infra } from './local-infra';
export { loadInfraConfig, type InfraConfig } from './config';
export { loadTopicDeclarations, type TopicDeclaration } from './topics';
export { redisAnswers, withRedisDatabase, flushRedisDatabase, ensureRedis, stopOwnRedis } from './redis';
export { ensurePostgres, stopOwnPostgres, destroyOwnPostgres, ownClusterPid, postgresAnswers, createDatabaseIfMissing, dropDatabase, withDatabase } from './postgres';
export { freePort } from './free-port';
export { ensureKafkaTools, ensureKafkaBroker, stopKafkaBroker, ownBrokerPid } from './kafka-broker';
export { freshTestDatabase, dropStaleTestDatabases } from './test-database';
export { migrate, MIGRATIONS_DIR } from './migrate';
