import { personAssertions, type PersonAssertions } from './person-assertions';
// `npm run bench:flow`: how fast the whole guidance flow is, beside what the broker itself can do on
// the same machine. A benchmark, never a test: it prints figures and asserts only that nothing
// accepted was lost. See docs/performance.md for how to read it and the runs so far.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBus, createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { down, ensureKafkaTools, freshTestDatabase, loadInfraConfig, loadTopicDeclarations, up } from '@polku/infra';
import { freshSecrets, issueApiKeys, launchBackbone, parseInstances, type Backbone } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { measureBus } from './bus-layer';
import { runPhase } from './flow-phase';
import { watchFlow, type FlowWatch } from './flow-watch';
import { consumerPerformance, producerPerformance } from './kafka-tools';
import { describeMachine } from './machine';
import { pidListeningOn, type WatchedProcess } from './process-stats';
import { rawClientLoop } from './raw-client';
import { recordConsents } from './record-consents';
import { BENCH_ORGANISATIONS, referralSequence } from './referral-mix';
import { ratiosOf, renderMarkdown, renderTable, type FlowReport } from './report';
import { removeNamespace } from './namespace-cleanup';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    'fixed-seconds': { type: 'string', default: '20' },
    'flat-seconds': { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    children: { type: 'string', default: '100' },
    'ceiling-records': { type: 'string', default: '200000' },
    'bus-events': { type: 'string', default: '5000' },
    // e.g. `router=2,adapter-host=2,consent=2,referral-api=2`; POLKU_INSTANCES when not given.
    instances: { type: 'string', default: process.env.POLKU_INSTANCES ?? '' },
    json: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
// --smoke: every step, on a scale that takes seconds; the JSON has the same fields.
const smoke = args.smoke;
const settings = {
  rate: smoke ? 20 : Number(args.rate),
  fixedSeconds: smoke ? 3 : Number(args['fixed-seconds']),
  flatSeconds: smoke ? 3 : Number(args['flat-seconds']),
  connections: smoke ? 4 : Number(args.connections),
  children: smoke ? 4 : Number(args.children),
  ceilingRecords: smoke ? 5000 : Number(args['ceiling-records']),
  busEvents: smoke ? 300 : Number(args['bus-events']),
  instances: parseInstances(args.instances),
};
const runAt = new Date().toISOString();
const outDir = join(repoRoot, '.polku', 'bench');
const jsonFile = resolve(args.json ?? join(outDir, `flow-${runAt.replaceAll(':', '-')}.json`));

const infra = await up();
const brokers = infra.kafkaBrokers;
// Benchmark data never lands on the backbone's real topics: everything runs under a namespace of its own.
const namespace = `bench-${randomUUID().slice(0, 8)}`;
const logger = createLogger({ service: 'bench', level: 'warn' });
const bus = createBus({ brokers: brokers.split(','), clientId: 'bench', logger, namespace });
// A database of its own too, dropped at the end: the bench's relay must never publish another deployment's outbox.
const database = await freshTestDatabase(infra.databaseUrl, 'bench');
let backbone: Backbone | undefined;
let watch: FlowWatch | undefined;
let assertions: PersonAssertions | undefined;
let exitCode = 1;

try {
  say(`namespace ${namespace} on ${brokers}, Redis ${infra.redisUrl}, database ${database.url}`);
  const scratch = (name: string) => ({ name, partitions: 6, cleanupPolicy: 'delete' as const, retentionMs: 3_600_000, keyedBy: 'nothing (benchmark records)' });
  await bus.ensureTopics([...loadTopicDeclarations(), scratch('bench.ceiling'), scratch('bench.raw'), scratch('bench.bus')]);

  say(`ceiling: Kafka's ProducerPerformance and ConsumerPerformance, ${settings.ceilingRecords} records of 1 KB`);
  const tools = ensureKafkaTools(loadInfraConfig(), say);
  const producer = producerPerformance(tools, brokers, `${namespace}.bench.ceiling`, settings.ceilingRecords);
  const consumer = consumerPerformance(tools, brokers, `${namespace}.bench.ceiling`, settings.ceilingRecords, `${namespace}.bench.ceiling-consumer`);
  say('ceiling: kafkajs alone');
  const rawClient = await rawClientLoop(brokers.split(','), `${namespace}.bench.raw`, settings.ceilingRecords);
  say(`bus: ${settings.busEvents} events through @polku/bus`);
  const busFigures = await measureBus(bus, 'bench.bus', settings.busEvents);

  say(`starting the backbone under the namespace, instances ${JSON.stringify(settings.instances)}`);
  backbone = await launchBackbone({ kafkaBrokers: brokers, redisUrl: infra.redisUrl, databaseUrl: database.url, secrets: freshSecrets(), logDir: join(outDir, namespace, 'logs'), namespace, instances: settings.instances });
  const keys = await issueApiKeys(database.url, BENCH_ORGANISATIONS);
  say(`recording the guardians' consents for ${settings.children} children`);
  await recordConsents(backbone.urls.consent, keys, settings.children);
  watch = await watchFlow(namespacedTransport(createKafkajsTransport({ brokers: brokers.split(','), clientId: 'bench-watch', logger }), namespace));

  const processes = watchedProcesses(backbone, brokers, infra.redisUrl, database.url);
  const sequence = referralSequence(settings.children);
  // Self-referrals come through the launcher's stand-in resident e-service, with its assertion of the young person.
  assertions = await personAssertions(backbone.residentEService.eService, sequence);
  const load = { url: backbone.urls.referralApi, keys, sequence, personHeaders: assertions.headersFor, connections: settings.connections, watch, processes };
  say(`fixed rate: ${settings.rate} referrals/s for ${settings.fixedSeconds} s, then until every one has arrived`);
  const fixedRate = await runPhase({ ...load, rate: settings.rate, seconds: settings.fixedSeconds });
  say(`flat out: ${settings.connections} connections for ${settings.flatSeconds} s, then until every one has arrived`);
  const flatOut = await runPhase({ ...load, seconds: settings.flatSeconds });

  const measured = {
    runAt, namespace, machine: describeMachine(repoRoot), settings,
    ceiling: { producerPerformance: producer, consumerPerformance: consumer, rawClient },
    bus: busFigures, flow: { fixedRate, flatOut },
  };
  const report: FlowReport = { ...measured, ratios: ratiosOf(measured), ok: fixedRate.lost.length === 0 && flatOut.lost.length === 0 };
  mkdirSync(resolve(jsonFile, '..'), { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(jsonFile.replace(/\.json$/, '') + '.md', `${renderMarkdown(report)}\n`);
  process.stdout.write(`${renderTable(report)}\n`);
  say(`JSON: ${jsonFile}`);
  if (!report.ok) say(`lost: ${[...fixedRate.lost, ...flatOut.lost].slice(0, 20).join(', ')}`);
  exitCode = report.ok ? 0 : 1;
} catch (error) {
  say(`the benchmark failed: ${(error as Error).stack ?? error}`);
} finally {
  assertions?.stop();
  await watch?.stop().catch(() => {});
  await backbone?.stop().catch(() => {});
  await removeNamespace(bus, infra.redisUrl, namespace).catch((error) => say(`cleaning up ${namespace} failed: ${(error as Error).message}`));
  await bus.close();
  await database.drop().catch((error) => say(`dropping the bench database failed: ${(error as Error).message}`));
  await down(infra.started);
}
process.exit(exitCode);

/** The backbone's processes, and the broker, Redis and PostgreSQL when they run on this machine. */
function watchedProcesses(running: Backbone, kafkaBrokers: string, redisUrl: string, databaseUrl: string): WatchedProcess[] {
  const list: WatchedProcess[] = Object.values(running.instances).flat().map((p) => ({ name: p.name, pid: p.pid }));
  const local = (hostPort: string | undefined) => (hostPort && /^(127\.0\.0\.1|localhost):\d+$/.test(hostPort) ? Number(hostPort.split(':')[1]) : undefined);
  const kafkaPort = local(kafkaBrokers.split(',')[0]);
  const redisPort = local(new URL(redisUrl).host);
  const kafkaPid = kafkaPort && pidListeningOn(kafkaPort);
  const redisPid = redisPort && pidListeningOn(redisPort);
  const postgresPort = local(`${new URL(databaseUrl).hostname}:${new URL(databaseUrl).port || 5432}`);
  const postgresPid = postgresPort && pidListeningOn(postgresPort);
  if (kafkaPid) list.push({ name: 'kafka', pid: kafkaPid });
  if (redisPid) list.push({ name: 'redis', pid: redisPid });
  if (postgresPid) list.push({ name: 'postgres', pid: postgresPid, withChildren: true });
  list.push({ name: 'bench driver', pid: process.pid });
  return list;
}
