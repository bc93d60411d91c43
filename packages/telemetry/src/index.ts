// Metrics (prom-client) and trace context; see the files beside this one.
export {};
export * from './metrics';
export { parseTraceparent, formatTraceparent, isValidTraceparent, newTrace, childSpan, continueTrace, runInTrace, withTrace, currentTrace, currentTraceparent, currentTraceId, type TraceContext } from './trace-context';
export { startSpan, openSpan, inSpan, traceHeaders, spanExportEnabled, type ActiveSpan, type SpanOptions, type SpanEnd, type SpanKind, type SpanAttributes } from './tracing';
export { jobTrace, inJobSpan, type TracedJobData } from './trace-jobs';
export { startTracing, type Tracing, type TracingOptions } from './tracing-otel';
