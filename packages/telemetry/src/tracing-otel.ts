import type { SpanEnd, SpanKind, SpanOptions, SpanSink } from './tracing';
import { setSpanSink } from './tracing';
import type { TraceContext } from './trace-context';

/** Enough of a pino logger to report an exporter in trouble. */
interface WarnLogger {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface TracingOptions {
  /**
   * `OTEL_EXPORTER_OTLP_ENDPOINT`: the base URL of an OTLP/HTTP receiver (a collector); spans are
   * POSTed to `<endpoint>/v1/traces`. @defaultValue none: export is off and the SDK is never loaded
   */
  endpoint: string | undefined;
  /** `service.name` of the exported spans (`OTEL_SERVICE_NAME`, else the service's own name). */
  serviceName: string;
  logger: WarnLogger;
  /** Longest wait between a span's end and its export. @defaultValue 2000 */
  scheduledDelayMs?: number;
  /** Deadline of one export request, and of the last flush at close. @defaultValue 5000 */
  timeoutMs?: number;
}

export interface Tracing {
  readonly enabled: boolean;
  /** Exports what is still buffered (within the deadline), then stops exporting. */
  close(): Promise<void>;
}

const OFF: Tracing = { enabled: false, close: async () => {} };

/**
 * Turns on OpenTelemetry export of the spans `startSpan`/`inSpan` make, when `endpoint` is set.
 * The SDK is imported only then, so a process without it pays nothing. Each exported span has the
 * very ids that were propagated (headers, events, jobs), so a trace in the collector joins up with
 * the `traceId` of log lines and problem answers.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  if (!options.endpoint) return OFF;
  const timeoutMs = options.timeoutMs ?? 5000;
  const [api, sdk, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  // The SDK reports failed exports (a collector away) through its diagnostics: one warning each, never a crash.
  const report = (message: string, ...args: unknown[]) => options.logger.warn({ detail: args.map(String).join(' ').slice(0, 500) }, `OpenTelemetry: ${message}`);
  const quiet = () => {};
  api.diag.setLogger({ error: report, warn: report, info: quiet, debug: quiet, verbose: quiet }, api.DiagLogLevel.WARN);

  // The SDK asks for ids while it starts a span (synchronously); it is handed the ones already propagated.
  let pending: TraceContext | undefined;
  const idGenerator = {
    generateTraceId: () => pending?.traceId ?? '',
    generateSpanId: () => pending?.spanId ?? '',
  };
  const exporter = new OTLPTraceExporter({ url: new URL('v1/traces', withSlash(options.endpoint)).toString(), timeoutMillis: timeoutMs });
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    idGenerator,
    sampler: new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: options.scheduledDelayMs ?? 2000, exportTimeoutMillis: timeoutMs })],
  });
  const tracer = provider.getTracer('@polku/telemetry');
  const kinds: Record<SpanKind, number> = {
    server: api.SpanKind.SERVER, client: api.SpanKind.CLIENT, consumer: api.SpanKind.CONSUMER, producer: api.SpanKind.PRODUCER, internal: api.SpanKind.INTERNAL,
  };

  const sink: SpanSink = {
    start(context: TraceContext, span: SpanOptions) {
      const flags = context.sampled ? api.TraceFlags.SAMPLED : api.TraceFlags.NONE;
      const parent = context.parentSpanId
        ? api.trace.setSpanContext(api.ROOT_CONTEXT, { traceId: context.traceId, spanId: context.parentSpanId, traceFlags: flags, isRemote: true })
        : api.ROOT_CONTEXT;
      pending = context;
      let started;
      try {
        started = tracer.startSpan(span.name, { kind: kinds[span.kind], attributes: defined(span.attributes) }, parent);
      } finally {
        pending = undefined;
      }
      return {
        end(outcome?: SpanEnd) {
          if (outcome?.attributes) started.setAttributes(defined(outcome.attributes));
          if (outcome?.error !== undefined) {
            const code = codeOf(outcome.error);
            started.setAttribute('error.type', code);
            started.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
          }
          started.end();
        },
      };
    },
  };
  setSpanSink(sink);
  options.logger.info({ endpoint: options.endpoint, serviceName: options.serviceName }, 'OpenTelemetry export on');
  return {
    enabled: true,
    async close() {
      setSpanSink(undefined);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeoutMs);
      });
      try {
        const flushed = provider.shutdown().then(() => 'done' as const, (error: unknown) => {
          options.logger.warn({ err: error }, 'OpenTelemetry: the last spans could not be exported at close');
          return 'failed' as const;
        });
        if ((await Promise.race([flushed, deadline])) === 'late') options.logger.warn({ timeoutMs }, 'OpenTelemetry: spans still buffered at close were not exported in time');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function defined(attributes: Record<string, string | number | boolean | undefined> | undefined): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

/** An error's stable code (PolkuError and Node errors have one), else its class name: never its message. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'ERROR';
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
