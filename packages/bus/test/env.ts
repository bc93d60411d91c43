/**
 * The one place the bus tests read the environment. Integration tests need a real broker and a
 * real Redis; say so plainly instead of timing out against nothing.
 */
export interface TestEnv {
  kafkaBrokers: string[];
  redisUrl: string;
}

export function testEnv(): TestEnv {
  const brokers = process.env['KAFKA_BROKERS'];
  const redisUrl = process.env['REDIS_URL'];
  const missing = [!brokers && 'KAFKA_BROKERS (e.g. 127.0.0.1:29092)', !redisUrl && 'REDIS_URL (e.g. redis://127.0.0.1:6379)'].filter(Boolean);
  if (missing.length > 0 || !brokers || !redisUrl) {
    throw new Error(`bus integration tests need a running Kafka broker and Redis; set ${missing.join(' and ')}`);
  }
  return Object.freeze({ kafkaBrokers: brokers.split(',').map((b) => b.trim()), redisUrl });
}
