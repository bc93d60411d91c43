// `npm run bench:bus`: the bus benchmark on a real broker. Uses KAFKA_BROKERS / REDIS_URL when
// set, otherwise the local infrastructure (started if needed, and stopped again if it was).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { down, up } from '@polku/infra';

const infra = await up();
try {
  const env = { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers, REDIS_URL: infra.redisUrl };
  const result = spawnSync('pnpm', ['--filter', '@polku/bus', 'run', 'bench', ...process.argv.slice(2)], { cwd: join(import.meta.dirname, '..'), env, stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
} finally {
  await down(infra.started);
}
