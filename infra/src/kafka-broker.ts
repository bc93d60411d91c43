import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InfraConfig } from './config';
import { resolveMavenJars } from './maven-jars';
import { commandLine, isAlive, livePid, portAnswers, stopProcess } from './processes';

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM),
 * from the official jars on Maven Central, listening on loopback only.
 */
export interface BrokerState {
  brokers: string;
  /** Whether this call started it (false: reused one that was already running). */
  startedNow: boolean;
  pid: number | undefined;
}

function dirs(config: InfraConfig) {
  const home = join(config.stateDir, 'kafka');
  return {
    home,
    lib: join(home, 'lib'),
    data: join(home, 'data'),
    properties: join(home, 'server.properties'),
    pidFile: join(home, 'broker.pid'),
    log: join(home, 'broker.log'),
    pom: join(config.repoRoot, 'infra', 'kafka', 'pom.xml'),
    log4j: join(config.repoRoot, 'infra', 'kafka', 'log4j2.yaml'),
  };
}

function isOurBroker(pid: number, properties: string): boolean {
  const cmd = commandLine(pid);
  return cmd.includes('kafka.Kafka') && cmd.includes(properties);
}

export async function ensureKafkaBroker(config: InfraConfig, say: (line: string) => void): Promise<BrokerState> {
  const d = dirs(config);
  const brokers = `127.0.0.1:${config.kafkaPort}`;
  const pid = livePid(d.pidFile);
  if (pid && isOurBroker(pid, d.properties) && (await portAnswers(config.kafkaPort))) {
    say(`Kafka broker already running (pid ${pid}) on ${brokers}`);
    return { brokers, startedNow: false, pid };
  }
  if (!pid && (await portAnswers(config.kafkaPort))) {
    throw new Error(`port ${config.kafkaPort} is taken by a process Polku did not start; set POLKU_KAFKA_PORT, or KAFKA_BROKERS to use that Kafka`);
  }
  resolveMavenJars(d.pom, d.lib, 'the Apache Kafka jars', say);
  writeServerProperties(config, d);
  formatStorageOnce(d, say);
  const logOffset = existsSync(d.log) ? readFileSync(d.log, 'utf8').length : 0;
  const started = startBroker(config, d);
  say(`starting Kafka broker (pid ${started}) on ${brokers}; log: ${d.log}`);
  await waitUntilStarted(started, config.kafkaPort, d.log, logOffset);
  return { brokers, startedNow: true, pid: started };
}

/**
 * Kafka's own command-line tools (ProducerPerformance, ConsumerPerformance), beside the broker's
 * jars but on a classpath of their own. @returns the classpath to run them with
 */
export function ensureKafkaTools(config: InfraConfig, say: (line: string) => void): string {
  const lib = join(config.stateDir, 'kafka', 'tools-lib');
  resolveMavenJars(join(config.repoRoot, 'infra', 'kafka', 'tools', 'pom.xml'), lib, "Kafka's command-line tools", say);
  return `${lib}/*`;
}

/** The pid of Polku's own broker, when it runs (a broker reached through KAFKA_BROKERS is never ours). */
export function ownBrokerPid(config: InfraConfig): number | undefined {
  const d = dirs(config);
  const pid = livePid(d.pidFile);
  return pid && isOurBroker(pid, d.properties) ? pid : undefined;
}

export async function stopKafkaBroker(config: InfraConfig, say: (line: string) => void): Promise<void> {
  const d = dirs(config);
  const pid = livePid(d.pidFile);
  if (!pid || !isOurBroker(pid, d.properties)) return;
  say(`stopping Kafka broker (pid ${pid})`);
  await stopProcess(pid, d.pidFile);
}

function writeServerProperties(config: InfraConfig, d: ReturnType<typeof dirs>): void {
  const lines = [
    '# Written by @polku/infra on every start; edit infra/src/kafka-broker.ts instead.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${config.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${config.kafkaPort},CONTROLLER://127.0.0.1:${config.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${config.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${d.data}`,
    // One node: every internal topic has one replica, and acks=all means that one.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Kafka 4 batches group-coordinator writes for 5 ms; with a commit after every event
    // that caps a consumer near 170 events/s. Committing at once gives ~800/s (bench:bus).
    'group.coordinator.append.linger.ms=0',
    'num.partitions=3',
  ];
  mkdirSync(d.home, { recursive: true });
  writeFileSync(d.properties, `${lines.join('\n')}\n`);
}

function formatStorageOnce(d: ReturnType<typeof dirs>, say: (line: string) => void): void {
  if (existsSync(join(d.data, 'meta.properties'))) return;
  // A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. Like Kafka's own
  // Uuid.randomUuid(), never one that starts with '-': the storage tool would read it as an option.
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  say(`formatting broker storage (cluster ${clusterId})`);
  const result = spawnSync('java', ['-cp', `${d.lib}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', d.properties], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`formatting Kafka storage failed (${result.error?.message ?? `exit ${result.status}`})\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

function startBroker(config: InfraConfig, d: ReturnType<typeof dirs>): number {
  const out = openSync(d.log, 'a');
  const child = spawn(
    'java',
    [`-Xmx${config.kafkaHeap}`, '-Xms256m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${d.log4j}`, '-cp', `${d.lib}/*`, 'kafka.Kafka', d.properties],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (!child.pid) throw new Error('java could not be started; Java 17+ is needed for Kafka 4');
  child.unref();
  writeFileSync(d.pidFile, String(child.pid));
  return child.pid;
}

async function waitUntilStarted(pid: number, port: number, log: string, from: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new Error(`the Kafka broker exited while starting; last lines of ${log}:\n${tail(log)}`);
    const started = readFileSync(log, 'utf8').slice(from).includes('Kafka Server started');
    if (started && (await portAnswers(port))) return;
    await sleep(250);
  }
  throw new Error(`the Kafka broker did not start within ${timeoutMs / 1000}s; see ${log}`);
}

function tail(file: string, lines = 20): string {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
