import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InfraConfig } from './config';
import { freePorts } from './free-port';
import { resolveMavenJars } from './maven-jars';
import { isAlive, portAnswers, stopProcess } from './processes';
import type { TestCertificates } from './test-certificates';

/** A Kafka user of the secure broker, known to both SASL mechanisms it offers. */
export interface BrokerUser {
  username: string;
  password: string;
}

export interface SecureBrokerOptions {
  /** A fresh directory of its own: data, properties, log. */
  dir: string;
  /** The broker's certificate and key come from here (`serverCert`, `serverKey`). */
  certificates: TestCertificates;
  /** Users of SCRAM-SHA-512 (created at format time, `--add-scram`) and of PLAIN. */
  users: readonly BrokerUser[];
  /** @defaultValue 384m */
  heap?: string;
}

export interface SecureBroker {
  /** `127.0.0.1:<port>` of the SASL_SSL listener. */
  brokers: string;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

/**
 * A throw-away single-node KRaft broker, from the same Maven jars as Polku's local broker, whose
 * only client listener is SASL_SSL (SCRAM-SHA-512 and PLAIN over TLS with the given certificate):
 * what a production cluster asks of a client. For tests of the bus's TLS and SASL settings; the
 * controller and inter-broker listeners stay on loopback in plain text.
 */
export async function startSecureKafkaBroker(config: InfraConfig, options: SecureBrokerOptions): Promise<SecureBroker> {
  const lib = join(config.stateDir, 'kafka', 'lib');
  resolveMavenJars(join(config.repoRoot, 'infra', 'kafka', 'pom.xml'), lib, 'the Apache Kafka jars', () => {});
  mkdirSync(options.dir, { recursive: true });
  const [client, internal, controller] = (await freePorts(3)) as [number, number, number];
  const keystore = join(options.dir, 'broker-keystore.pem');
  // Kafka's PEM key store: the unencrypted PKCS#8 key and the certificate chain in one file.
  writeFileSync(keystore, readFileSync(options.certificates.serverKey, 'utf8') + readFileSync(options.certificates.serverCert, 'utf8'));
  const properties = join(options.dir, 'server.properties');
  writeFileSync(properties, serverProperties({ dir: options.dir, client, internal, controller, keystore, users: options.users }));
  format(lib, properties, options.users);
  const log = join(options.dir, 'broker.log');
  const pid = start(config, lib, properties, log, options.heap ?? '384m');
  const pidFile = join(options.dir, 'broker.pid');
  writeFileSync(pidFile, String(pid));
  await waitUntilStarted(pid, client, log);
  return { brokers: `127.0.0.1:${client}`, pid, log, stop: () => stopProcess(pid, pidFile) };
}

function serverProperties(p: { dir: string; client: number; internal: number; controller: number; keystore: string; users: readonly BrokerUser[] }): string {
  const quote = (value: string) => JSON.stringify(value);
  const plainUsers = p.users.map((u) => `user_${u.username}=${quote(u.password)}`).join(' ');
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controller}`,
    `listeners=SASL_SSL://127.0.0.1:${p.client},INTERNAL://127.0.0.1:${p.internal},CONTROLLER://127.0.0.1:${p.controller}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${p.client},INTERNAL://127.0.0.1:${p.internal}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=INTERNAL',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    'listener.name.sasl_ssl.ssl.keystore.type=PEM',
    `listener.name.sasl_ssl.ssl.keystore.location=${p.keystore}`,
    `log.dirs=${join(p.dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
    '',
  ].join('\n');
}

function format(lib: string, properties: string, users: readonly BrokerUser[]): void {
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const scram = users.flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.username},password=${u.password}]`]);
  const result = spawnSync('java', ['-cp', `${lib}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, ...scram], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`formatting the secure broker's storage failed (${result.error?.message ?? `exit ${result.status}`})\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

function start(config: InfraConfig, lib: string, properties: string, log: string, heap: string): number {
  const out = openSync(log, 'a');
  const log4j = join(config.repoRoot, 'infra', 'kafka', 'log4j2.yaml');
  // Tiered compilation stopped at C1: a JVM that lives for one test starts faster.
  const child = spawn('java', [`-Xmx${heap}`, '-Xms128m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4j}`, '-cp', `${lib}/*`, 'kafka.Kafka', properties], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (!child.pid) throw new Error('java could not be started; Java 17+ is needed for Kafka 4');
  child.unref();
  return child.pid;
}

async function waitUntilStarted(pid: number, port: number, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new Error(`the secure broker exited while starting; last lines of ${log}:\n${readFileSync(log, 'utf8').trimEnd().split('\n').slice(-20).join('\n')}`);
    if (readFileSync(log, 'utf8').includes('Kafka Server started') && (await portAnswers(port))) return;
    await sleep(250);
  }
  throw new Error(`the secure broker did not start within ${timeoutMs / 1000}s; see ${log}`);
}
