// `npm test`: the whole suite of every package, against a real Kafka, Redis and PostgreSQL,
// closing with one line of totals. Uses KAFKA_BROKERS / REDIS_URL / DATABASE_URL when set (the
// tests get a fresh database on that server); otherwise brings up the local infrastructure and
// stops what it started when the run ends.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { down, dropStaleTestDatabases, flushRedisDatabase, up, withRedisDatabase } from '@polku/infra';
import { provisionTopics } from './provision-topics';

interface PackageReport {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}

const root = join(import.meta.dirname, '..');
/** The numbered database of Polku's own Redis that test runs use. */
const TEST_REDIS_DB = 9;

function packagesWithTests(): string[] {
  const groups = ['packages', 'services', 'adapters'].filter((g) => existsSync(join(root, g)));
  const dirs = groups.flatMap((g) => readdirSync(join(root, g)).map((d) => join(root, g, d)));
  return [...dirs, join(root, 'infra'), join(root, 'test')].filter((dir) => {
    const manifest = join(dir, 'package.json');
    return existsSync(manifest) && Boolean(JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test);
  });
}

function readReport(dir: string): PackageReport | undefined {
  const file = join(dir, '.vitest-report.json');
  if (!existsSync(file)) return undefined;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { name: dir.slice(root.length + 1), passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

/** Checks types, runs every package's tests, then the end-to-end suite alone; false when a task failed. */
async function runSuites(kafkaBrokers: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  await provisionTopics(kafkaBrokers);
  // Types once over the whole repository (tsconfig.json), not per package: see the comment there.
  const typesOk = spawnSync('pnpm', ['run', 'typecheck'], { cwd: root, env, stdio: 'inherit' }).status === 0;
  // Packages next (two at a time), then the end-to-end suite alone: it runs the whole backbone
  // as processes and its deadlines are measured in seconds, so it gets the machine to itself.
  const turboRun = (...args: string[]) => spawnSync('pnpm', ['exec', 'turbo', 'run', ...args, '--continue', '--concurrency=2'], { cwd: root, env, stdio: 'inherit' }).status;
  const packagesOk = turboRun('check', 'test', '--filter=!@polku/e2e') === 0;
  const e2eOk = turboRun('test', '--filter=@polku/e2e') === 0;
  return typesOk && packagesOk && e2eOk;
}

async function main(): Promise<number> {
  const dirs = packagesWithTests();
  for (const dir of dirs) rmSync(join(dir, '.vitest-report.json'), { force: true });

  const infra = await up();
  // Each package's tests make a fresh database of their own on this PostgreSQL (infra/src/test-setup.ts);
  // what a run killed halfway left behind is dropped here.
  await dropStaleTestDatabases(infra.databaseUrl);
  // On Polku's own Redis the tests use a numbered database of their own (emptied first), so a demo
  // on the same Redis keeps its queues; a REDIS_URL given from outside is used as it is.
  const redisUrl = process.env.REDIS_URL ? infra.redisUrl : withRedisDatabase(infra.redisUrl, TEST_REDIS_DB);
  if (!process.env.REDIS_URL) await flushRedisDatabase(redisUrl);
  const env = { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers, REDIS_URL: redisUrl, DATABASE_URL: infra.databaseUrl, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
  process.stderr.write(`[test] Kafka ${infra.kafkaBrokers}, Redis ${redisUrl}, PostgreSQL ${infra.databaseUrl} (a fresh database per package)\n`);
  let tasksOk = false;
  try {
    tasksOk = await runSuites(infra.kafkaBrokers, env);
  } finally {
    await down(infra.started);
  }

  // The totals come last, after infrastructure is down, so they are the run's closing line.
  const reports = dirs.map((dir) => readReport(dir) ?? { name: dir.slice(root.length + 1), passed: 0, failed: 0, skipped: 0, missing: true });
  const missing = reports.filter((r) => 'missing' in r).map((r) => r.name);
  const total = reports.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
  for (const r of reports) process.stdout.write(`  ${r.name.padEnd(32)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}\n`);
  if (missing.length > 0) process.stdout.write(`no test report from: ${missing.join(', ')} (the runner crashed or did not start)\n`);
  if (!tasksOk) process.stdout.write('a typecheck, contract check or test task failed (see above)\n');
  process.stdout.write(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`);
  return tasksOk && total.failed === 0 && missing.length === 0 ? 0 : 1;
}

process.exitCode = await main();
