/**
 * The one place the bus tests read the environment. Integration tests need a real broker; say so
 * plainly instead of timing out against nothing.
 */
export interface TestEnv {
  kafkaBrokers: string[];
}

export function testEnv(): TestEnv {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('bus integration tests need a running Kafka broker; set KAFKA_BROKERS (e.g. 127.0.0.1:19092)');
  return Object.freeze({ kafkaBrokers: brokers.split(',').map((b) => b.trim()) });
}
