// Prometheus metrics: one registry per process, served at GET /metrics by every service (docs/metrics.md).
export { METRICS_CONTENT_TYPE, metricsRegistry, metricsText, startProcessMetrics, type ProcessMetricsOptions } from './metrics-registry';
export { observeHttpRequest, type HttpObservation } from './metrics-http';
export {
  countConsumed, countDeadLettered, countPublished, setLagSnapshotOptions, timeHandler, UNREADABLE_EVENT_TYPE, watchConsumerLag, type LagRow, type LagSource,
} from './metrics-bus';
export { QUEUE_STATES, setQueueSnapshotOptions, watchQueue, type CountableQueue, type QueueState } from './metrics-queues';
export { setOutboxSnapshotOptions, watchOutbox, type OutboxSource, type OutboxState } from './metrics-outbox';
// The freshness gauge reads every scrape-time source: loaded with the rest.
import './metrics-freshness';
