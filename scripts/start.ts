// `npm start`: brings up the backbone on this machine. For now that is the infrastructure
// (Kafka, Redis, topics); the services and the demo flow arrive with the guidance-flow issue.
// Runs in the foreground; Ctrl-C stops what it started.
import { down, up } from '@polku/infra';
import { provisionTopics } from './provision-topics';

const infra = await up();
const topics = await provisionTopics(infra.kafkaBrokers);
process.stdout.write(
  [
    '',
    'Polku infrastructure is up:',
    `KAFKA_BROKERS=${infra.kafkaBrokers}`,
    `REDIS_URL=${infra.redisUrl}`,
    `topics: ${topics.join(', ')}`,
    '',
    'No services run yet: this build provides the event contracts and the Kafka bus only.',
    'Press Ctrl-C to stop what was started here.',
    '',
  ].join('\n'),
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await down(infra.started);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Keep the process alive until a signal arrives.
setInterval(() => {}, 1 << 30);
