// `npm run infra:up` / `npm run infra:down`.
import { down, up } from '@polku/infra';
import { provisionTopics } from './provision-topics';

const command = process.argv[2];
if (command === 'up') {
  const infra = await up();
  await provisionTopics(infra.kafkaBrokers);
  process.stdout.write(`KAFKA_BROKERS=${infra.kafkaBrokers}\nREDIS_URL=${infra.redisUrl}\n`);
} else if (command === 'down') {
  await down();
} else {
  process.stderr.write('usage: infra.ts up|down\n');
  process.exitCode = 2;
}
