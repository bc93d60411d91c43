// `npm run bench:bus [events]`: the bus alone on the real broker and Redis, on topics of its own
// (deleted afterwards). The same figures are part of `npm run bench:flow`, beside the ceiling.
import { randomUUID } from 'node:crypto';
import { createBus } from '@polku/bus';
import { down, up } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { measureBus } from './bus-layer';
import { removeNamespace } from './namespace-cleanup';

const events = Number(process.argv[2] ?? 5000);
const infra = await up();
const namespace = `bench-${randomUUID().slice(0, 8)}`;
const bus = createBus({ brokers: infra.kafkaBrokers.split(','), clientId: 'bench-bus', logger: createLogger({ service: 'bench', level: 'warn' }), namespace });
try {
  await bus.ensureTopics([{ name: 'bench.bus', partitions: 6, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id' }]);
  process.stdout.write(`${JSON.stringify(await measureBus(bus, 'bench.bus', events), null, 2)}\n`);
} finally {
  await removeNamespace(bus, infra.redisUrl, namespace);
  await bus.close();
  await down(infra.started);
}
