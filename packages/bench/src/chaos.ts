import { personAssertions, type PersonAssertions } from './person-assertions';
// `npm run chaos`: during bursts of mixed referrals, one fault at a time (kill -9 of each service,
// one instance of two and then every one; broker killed and frozen; Redis restarted and emptied;
// Polku's own PostgreSQL restarted), then counts what was accepted, what reached its end state,
// what was lost and what a receiving system got twice. Not part of npm test (its short version is,
// test/chaos.test.ts). Runs on infrastructure of its own, started here and removed at the end.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBus, createKafkajsTransport } from '@polku/bus';
import { destroyOwnPostgres, down, freePorts, loadInfraConfig, loadTopicDeclarations, up } from '@polku/infra';
import { freshSecrets, issueApiKeys, launchBackbone, stopOnSignals, type Backbone } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { FAULTS } from './chaos/faults';
import { chaosMarkdown, runScenario, type ChaosRow } from './chaos/scenario';
import { watchFlow, type FlowWatch } from './flow-watch';
import { recordConsents } from './record-consents';
import { BENCH_ORGANISATIONS, referralSequence } from './referral-mix';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const say = (line: string) => process.stderr.write(`[chaos] ${line}\n`);
const { values: args } = parseArgs({
  options: {
    referrals: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '100' },
    only: { type: 'string' },
    markdown: { type: 'string' },
  },
});
const referrals = Number(args.referrals);
const rate = Number(args.rate);
const only = args.only?.split(',').map((id) => id.trim());
const unknown = only?.filter((id) => !FAULTS.some((f) => f.id === id)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`[chaos] no such fault: ${unknown.join(', ')}; the faults are ${FAULTS.map((f) => f.id).join(', ')}\n`);
  process.exit(2);
}
const faults = only ? FAULTS.filter((f) => only.includes(f.id)) : FAULTS;
const markdownFile = resolve(args.markdown ?? join(repoRoot, '.polku', 'chaos', `chaos-${new Date().toISOString().replaceAll(':', '-')}.md`));

// Infrastructure of its own, so killing, freezing and emptying it touches nothing else.
const stateDir = mkdtempSync(join(tmpdir(), 'polku-chaos-'));
const [kafkaPort, controllerPort, redisPort, postgresPort] = (await freePorts(4)).map(String);
const infraConfig = loadInfraConfig({
  POLKU_HOME: stateDir, POLKU_KAFKA_PORT: kafkaPort, POLKU_KAFKA_CONTROLLER_PORT: controllerPort,
  POLKU_REDIS_PORT: redisPort, POLKU_OWN_POSTGRES: '1', POLKU_POSTGRES_PORT: postgresPort,
});
say(`starting a broker, a Redis and a PostgreSQL of its own under ${stateDir}`);
const infra = await up(infraConfig, say);
// The watcher's client complains loudly while the broker is down on purpose; a watcher that never
// came back would show as losses in the table.
const logger = createLogger({ service: 'chaos', level: 'fatal' });
const bus = createBus({ brokers: infra.kafkaBrokers.split(','), clientId: 'chaos', logger });
let backbone: Backbone | undefined;
let watch: FlowWatch | undefined;
let assertions: PersonAssertions | undefined;
const rows: ChaosRow[] = [];
let exitCode = 1;
let cleaning: Promise<void> | undefined;
/** Stops the backbone and removes the infrastructure started above: at the end, and on Ctrl-C. */
const cleanUp = (keepState: boolean) => (cleaning ??= (async () => {
  assertions?.stop();
  await watch?.stop().catch(() => {});
  await backbone?.stop().catch(() => {});
  await bus.close().catch(() => {});
  await down({ kafka: true, redis: true, postgres: true }, infraConfig, say);
  await destroyOwnPostgres(infraConfig, say).catch(() => {});
  if (!keepState) rmSync(stateDir, { recursive: true, force: true });
})());
stopOnSignals(async () => {
  say('stopping: the backbone, then the broker, Redis and PostgreSQL started for this run');
  await cleanUp(true);
  process.exit(130);
}, async () => {
  await backbone?.kill().catch(() => {});
  await cleanUp(true);
  process.exit(130);
}, say);
try {
  await bus.ensureTopics(loadTopicDeclarations());
  say('starting the backbone: two instances each of the referral API, router, consent service and adapter host');
  backbone = await launchBackbone({
    kafkaBrokers: infra.kafkaBrokers, redisUrl: infra.redisUrl, databaseUrl: infra.databaseUrl, secrets: freshSecrets(),
    logDir: join(stateDir, 'logs'), instances: { referralApi: 2, router: 2, consent: 2, adapterHost: 2 },
    // Deliveries keep trying through an outage of a minute or two, as a production setting would for longer.
    env: { adapterHost: { POLKU_DELIVERY_BACKOFF_MS: '300', POLKU_DELIVERY_BACKOFF_MAX_MS: '3000', POLKU_DELIVERY_ATTEMPTS: '50' } },
  });
  const keys = await issueApiKeys(infra.databaseUrl, BENCH_ORGANISATIONS);
  const children = 100;
  await recordConsents(backbone.urls.consent, keys, children);
  watch = await watchFlow(createKafkajsTransport({ brokers: infra.kafkaBrokers.split(','), clientId: 'chaos-watch', logger }));
  const ctx = { backbone, infra: infraConfig, redisUrl: infra.redisUrl, say };
  const sequence = referralSequence(children);
  // Self-referrals come through the launcher's stand-in resident e-service, with its assertion of the young person.
  assertions = await personAssertions(backbone.residentEService.eService, sequence);
  for (const fault of faults) {
    say(`${fault.label}: ${referrals} referrals at ${rate}/s`);
    const row = await runScenario({ fault, ctx, watch, keys, sequence, personHeaders: assertions.headersFor, referrals, rate, stubUrls: [backbone.urls.school, backbone.urls.ngo] });
    rows.push(row);
    say(`  accepted ${row.accepted}, reached ${row.reached}, lost ${row.lost.length}, duplicated ${row.duplicated.length}, drained in ${row.drainSeconds} s${row.note ? `; ${row.note}` : ''}`);
  }
  const table = chaosMarkdown(rows);
  process.stdout.write(`${table}\n`);
  mkdirSync(resolve(markdownFile, '..'), { recursive: true });
  writeFileSync(markdownFile, `${table}\n`);
  say(`table: ${markdownFile}`);
  const bad = rows.filter((r) => r.lost.length > 0 || r.duplicated.length > 0);
  for (const r of bad) say(`${r.label}: lost ${r.lost.slice(0, 5).join(', ')}; duplicated ${r.duplicated.slice(0, 5).join(', ')}; logs in ${join(stateDir, 'logs')}`);
  exitCode = bad.length === 0 && rows.every((r) => !r.note) ? 0 : 1;
} catch (error) {
  say(`chaos failed: ${(error as Error).stack ?? error}`);
} finally {
  // The logs stay for a run that found something.
  await cleanUp(exitCode !== 0);
}
process.exit(exitCode);
