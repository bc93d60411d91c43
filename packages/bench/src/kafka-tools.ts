import { spawnSync } from 'node:child_process';

/** What Kafka's own ProducerPerformance printed on its closing line. */
export interface ProducerPerformance {
  records: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  latencyMs: { avg: number; p50: number; p99: number };
}

/** What Kafka's own ConsumerPerformance printed: the fetch rate, group join excluded. */
export interface ConsumerPerformance {
  records: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  /** Time to join the group, which the rates above leave out. */
  rebalanceMs: number;
}

function runTool(classpath: string, tool: string, args: string[]): string {
  const result = spawnSync('java', ['-Xmx512m', '-cp', classpath, `org.apache.kafka.tools.${tool}`, ...args], { encoding: 'utf8', timeout: 300_000 });
  if (result.error || result.status !== 0) {
    throw new Error(`${tool} failed (${result.error?.message ?? `exit ${result.status}`}):\n${(result.stdout ?? '').slice(-2000)}${(result.stderr ?? '').slice(-2000)}`);
  }
  return result.stdout;
}

/**
 * The broker's produce ceiling as Kafka measures it: `records` records of `recordSize` bytes, as
 * fast as they go, acks from all in-sync replicas and an idempotent producer, as Polku publishes.
 */
export function producerPerformance(classpath: string, brokers: string, topic: string, records: number, recordSize = 1024): ProducerPerformance {
  const out = runTool(classpath, 'ProducerPerformance', [
    '--topic', topic, '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true',
  ]);
  // "200000 records sent, 29686.8 records/sec (28.99 MB/sec), 864.78 ms avg latency, 1715.00 ms max latency, 810 ms 50th, 1511 ms 95th, 1630 ms 99th, 1689 ms 99.9th."
  const line = out.trim().split('\n').findLast((l) => l.includes('50th'));
  const match = line && /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency.*?, (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/.exec(line);
  if (!match) throw new Error(`ProducerPerformance printed no summary:\n${out.slice(-1000)}`);
  const [, sent, rate, mb, avg, p50, p99] = match.map(Number) as number[];
  return { records: sent!, recordsPerSecond: rate!, mbPerSecond: mb!, latencyMs: { avg: avg!, p50: p50!, p99: p99! } };
}

/** The broker's consume ceiling as Kafka measures it: `records` records read by a fresh group. */
export function consumerPerformance(classpath: string, brokers: string, topic: string, records: number, group: string): ConsumerPerformance {
  const out = runTool(classpath, 'ConsumerPerformance', ['--bootstrap-server', brokers, '--topic', topic, '--messages', String(records), '--group', group, '--timeout', '60000']);
  // A header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then the values.
  const lines = out.trim().split('\n');
  const header = lines.findIndex((l) => l.startsWith('start.time'));
  const names = lines[header]?.split(',').map((s) => s.trim());
  const values = lines[header + 1]?.split(',').map((s) => s.trim());
  if (!names || !values) throw new Error(`ConsumerPerformance printed no summary:\n${out.slice(-1000)}`);
  const field = (name: string) => Number(values[names.indexOf(name)]);
  return { records: field('data.consumed.in.nMsg'), recordsPerSecond: field('fetch.nMsg.sec'), mbPerSecond: field('fetch.MB.sec'), rebalanceMs: field('rebalance.time.ms') };
}
