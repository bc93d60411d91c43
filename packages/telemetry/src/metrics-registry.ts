import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

/**
 * The one registry of this process. Module state on purpose: a test process that builds several
 * apps and buses must still register each metric once (prom-client throws on a second registration),
 * and every bus, queue and outbox relay of the process reports into the same `/metrics`.
 */
export const metricsRegistry = new Registry();

/** Every metric of Polku starts with this; the default process metrics too. */
export const METRIC_PREFIX = 'polku_';

let processMetricsStarted = false;

export interface ProcessMetricsOptions {
  /** The `service` label on every series of this process (`referral-api`, `router`, ...). */
  service: string;
}

/**
 * Names the process on every series (label `service`) and starts prom-client's default process
 * metrics (`polku_process_*`, `polku_nodejs_*`: CPU, memory, event-loop lag, handles). Called once
 * in each `server.ts`, right after the logger; a second call only renames the service.
 */
export function startProcessMetrics(options: ProcessMetricsOptions): void {
  metricsRegistry.setDefaultLabels({ service: options.service });
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: METRIC_PREFIX });
}

/** The exposition of every metric of this process, in the Prometheus text format. */
export function metricsText(): Promise<string> {
  return metricsRegistry.metrics();
}

/** The Content-Type of `metricsText()` (Prometheus text format 0.0.4). */
export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

/** The metric of that name if this process made it already, otherwise made now and registered. */
function once<T>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export function counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  return once(config.name, () => new Counter({ ...config, registers: [metricsRegistry] }));
}

export function gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  return once(config.name, () => new Gauge({ ...config, registers: [metricsRegistry] }));
}

export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  return once(config.name, () => new Histogram({ ...config, registers: [metricsRegistry] }));
}

/** Seconds: from a 5 ms handler or request up to a 30 s one (a dependency's deadline and more). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
