// `npm run infra:up` (the broker, Redis, PostgreSQL with its tables, the topics) / `npm run infra:down`.
import { down, migrate, up } from '@polku/infra';
import { provisionTopics } from './provision-topics';

const command = process.argv[2];
if (command === 'up') {
  const infra = await up();
  await provisionTopics(infra.kafkaBrokers);
  const applied = await migrate(infra.databaseUrl);
  if (applied.length > 0) process.stderr.write(`[infra] database migrated: ${applied.join(', ')}\n`);
  process.stdout.write(`KAFKA_BROKERS=${infra.kafkaBrokers}\nREDIS_URL=${infra.redisUrl}\nDATABASE_URL=${infra.databaseUrl}\n`);
} else if (command === 'down') {
  await down();
} else {
  process.stderr.write('usage: infra.ts up|down\n');
  process.exitCode = 2;
}
