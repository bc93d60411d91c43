import { startTracing, type Tracing } from '@polku/telemetry';
import type { Logger } from 'pino';

/**
 * A process's OpenTelemetry export, from its common settings: on when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set, named OTEL_SERVICE_NAME or the service's own name. Close it last but the connections:
 * `{ name: 'tracing', close: () => tracing.close() }` exports the spans of the work that finished.
 */
export function startServiceTracing(config: { OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined; OTEL_SERVICE_NAME?: string | undefined }, service: string, logger: Logger): Promise<Tracing> {
  return startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME ?? service, logger: logger.child({ component: 'tracing' }) });
}
