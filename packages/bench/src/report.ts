import type { BusFigures } from './bus-layer';
import type { PhaseFigures } from './flow-phase';
import type { ConsumerPerformance, ProducerPerformance } from './kafka-tools';
import type { Machine } from './machine';
import type { RawClientFigures } from './raw-client';
import { KINDS } from './referral-mix';

/** Everything one `bench:flow` run measured; the JSON it writes. */
export interface FlowReport {
  runAt: string;
  /** The run's topics and groups were `<namespace>.…`, deleted at its end. */
  namespace: string;
  machine: Machine;
  settings: {
    rate: number; fixedSeconds: number; flatSeconds: number; connections: number; children: number; ceilingRecords: number; busEvents: number;
    /** Instances of each service; one where not named. */
    instances: Partial<Record<string, number>>;
  };
  ceiling: { producerPerformance: ProducerPerformance; consumerPerformance: ConsumerPerformance; rawClient: RawClientFigures };
  bus: BusFigures;
  flow: { fixedRate: PhaseFigures; flatOut: PhaseFigures };
  /** Every Polku figure beside the ceiling it is compared with. */
  ratios: Ratio[];
  /** True when nothing accepted was lost. */
  ok: boolean;
}

export interface Ratio {
  figure: string;
  value: number;
  against: string;
  ceiling: number;
  /** value ÷ ceiling */
  ratio: number;
}

export function ratiosOf(report: Omit<FlowReport, 'ratios' | 'ok'>): Ratio[] {
  const producer = report.ceiling.producerPerformance.recordsPerSecond;
  const consumer = report.ceiling.consumerPerformance.recordsPerSecond;
  const raw = report.ceiling.rawClient;
  const { fixedRate, flatOut } = report.flow;
  const ratio = (figure: string, value: number, against: string, ceiling: number): Ratio => ({ figure, value, against, ceiling, ratio: ceiling > 0 ? value / ceiling : 0 });
  return [
    ratio('bus publish, batches of 100 /s', report.bus.publishBatchedPerSecond, 'ProducerPerformance', producer),
    ratio('bus publish, batches of 100 /s', report.bus.publishBatchedPerSecond, 'kafkajs alone, produce', raw.producePerSecond),
    ratio('bus consume and handle /s', report.bus.consumePerSecond, 'ConsumerPerformance', consumer),
    ratio('bus consume and handle /s', report.bus.consumePerSecond, 'kafkajs alone, consume', raw.consumePerSecond),
    ratio('flat out: referrals accepted /s', flatOut.acceptedPerSecond, 'ProducerPerformance', producer),
    ratio('flat out: referrals accepted /s', flatOut.acceptedPerSecond, 'kafkajs alone, produce', raw.producePerSecond),
    ratio('flat out: referrals delivered end to end /s', flatOut.deliveredPerSecond, 'ConsumerPerformance', consumer),
    ratio('flat out: referrals delivered end to end /s', flatOut.deliveredPerSecond, 'kafkajs alone, consume', raw.consumePerSecond),
    ratio('fixed rate: referrals accepted /s', fixedRate.acceptedPerSecond, 'the rate asked for', report.settings.rate),
    ratio('fixed rate: referrals delivered end to end /s', fixedRate.deliveredPerSecond, 'the rate asked for', report.settings.rate),
  ];
}

const n = (value: number) => Math.round(value).toLocaleString('en-GB');
const pct = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)} %`;
const ms = (l: { p50: number; p99: number }) => `p50 ${n(l.p50)} ms, p99 ${n(l.p99)} ms`;

function phaseRows(name: string, p: PhaseFigures): string[][] {
  const errors = Object.entries(p.errorsByStatus).map(([status, count]) => `${status}: ${n(count)}`);
  if (p.connectionErrors) errors.push(`no answer: ${n(p.connectionErrors)}${p.timeouts ? ` (${n(p.timeouts)} timeouts)` : ''}`);
  return [
    [`${name}: referrals accepted /s`, `${n(p.acceptedPerSecond)} (${n(p.accepted)} in ${p.intakeSeconds} s, ${p.connections} connections)`],
    [`${name}: intake latency`, ms(p.intakeLatencyMs)],
    [`${name}: answers other than 202`, errors.join(', ') || 'none'],
    [`${name}: delivered end to end /s, all kinds`, `${n(p.deliveredPerSecond)} (drained in ${p.drainSeconds} s)`],
    ...KINDS.map(({ kind, expectedState }) => {
      const k = p.perKind[kind];
      return [`${name}:   ${kind}`, `${n(k.perSecond)}/s, ${n(k.reached)} of ${n(k.accepted)} ${expectedState}; ${ms(k.endToEndLatencyMs)}`];
    }),
    [`${name}: intake → expected state latency`, ms(p.endToEndLatencyMs)],
    [`${name}: lost / duplicated`, `${n(p.lost.length)} / ${n(p.duplicated.length)}`],
    [`${name}: CPU (% of one core) and peak memory`, p.processes.map((c) => `${c.name} ${c.cpuPercent} % ${n(c.peakRssMiB)} MiB`).join('; ')],
  ];
}

function instancesOf(instances: Partial<Record<string, number>> | undefined): string {
  const named = Object.entries(instances ?? {}).filter(([, count]) => (count ?? 1) > 1);
  return named.length === 0 ? 'one of each service' : `${named.map(([name, count]) => `${name} × ${count}`).join(', ')}; one of the rest`;
}

/** Every figure of a run as label and value, in reading order. */
function rowsOf(report: FlowReport): string[][] {
  const { machine: m, ceiling: c, bus } = report;
  return [
    ['machine', `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; ${m.java}; Kafka ${m.kafka}`],
    ['instances', instancesOf(report.settings.instances)],
    ['ceiling: Kafka ProducerPerformance', `${n(c.producerPerformance.recordsPerSecond)} records/s (${n(c.producerPerformance.records)} × 1 KB, acks=all, idempotent; p99 ${n(c.producerPerformance.latencyMs.p99)} ms)`],
    ['ceiling: Kafka ConsumerPerformance', `${n(c.consumerPerformance.recordsPerSecond)} records/s (fetch rate, group join of ${n(c.consumerPerformance.rebalanceMs)} ms left out)`],
    ['ceiling: kafkajs alone, produce / consume', `${n(c.rawClient.producePerSecond)} / ${n(c.rawClient.consumePerSecond)} records/s (${n(c.rawClient.records)} × 1 KB)`],
    ['bus: publish batched / one by one', `${n(bus.publishBatchedPerSecond)} / ${n(bus.publishOneByOnePerSecond)} events/s`],
    ['bus: consume and handle (6 partitions)', `${n(bus.consumePerSecond)} events/s; publish → handler ${ms(bus.latencyMs)}`],
    ...phaseRows(`fixed rate ${report.settings.rate}/s`, report.flow.fixedRate),
    ...phaseRows('flat out', report.flow.flatOut),
    ...report.ratios.map((r) => [`ratio: ${r.figure}`, `${pct(r.ratio)} of ${r.against} (${n(r.value)} ÷ ${n(r.ceiling)})`]),
    ['result', report.ok ? 'nothing lost' : 'FAILED: accepted referrals were lost (see "lost")'],
  ];
}

/** The report as an aligned plain-text table, every figure beside its ceiling. */
export function renderTable(report: FlowReport): string {
  const rows = rowsOf(report);
  const width = Math.max(...rows.map(([label]) => label!.length));
  return rows.map(([label, value]) => `${label!.padEnd(width)}  ${value}`).join('\n');
}

/** The same report as a Markdown table, for docs/performance.md. */
export function renderMarkdown(report: FlowReport): string {
  const lines = rowsOf(report).map(([label, value]) => `| ${label!.trim()} | ${value!.replaceAll('|', '\\|')} |`);
  return [`Run of ${report.runAt}`, '', '| figure | value |', '|---|---|', ...lines].join('\n');
}
