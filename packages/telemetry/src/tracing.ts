import { childSpan, continueTrace, currentTrace, formatTraceparent, newTrace, runInTrace, type TraceContext } from './trace-context';

/** What a span is, as OpenTelemetry names it. */
export type SpanKind = 'server' | 'client' | 'consumer' | 'producer' | 'internal';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface SpanOptions {
  /** Low-cardinality: a route pattern, an event type, a queue name; never an id or personal data. */
  name: string;
  kind: SpanKind;
  /** Codes and ids only, as in log lines. */
  attributes?: SpanAttributes;
}

/** How a span ended. */
export interface SpanEnd {
  /** An error ends the span with status ERROR and its code (never its message: it may quote data). */
  error?: unknown;
  attributes?: SpanAttributes;
}

/** A span being timed: its context is what the work runs in and what goes on the wire. */
export interface ActiveSpan {
  readonly context: TraceContext;
  readonly traceparent: string;
  end(outcome?: SpanEnd): void;
}

/** Where finished spans go: set by `startTracing` when OpenTelemetry export is on. */
export interface SpanSink {
  start(context: TraceContext, options: SpanOptions): { end(outcome?: SpanEnd): void };
}

let sink: SpanSink | undefined;

/** Installs (or with undefined removes) the exporter of spans; without one, spans only carry context. */
export function setSpanSink(next: SpanSink | undefined): void {
  sink = next;
}

export function spanExportEnabled(): boolean {
  return sink !== undefined;
}

/**
 * Starts a span: in `parent`'s trace when given (a `traceparent` string, or a context), else a
 * child of the current span, else a new trace. Exported when OpenTelemetry export is on.
 */
export function startSpan(options: SpanOptions, parent?: string | TraceContext | null): ActiveSpan {
  return openSpan(spanContextFor(parent), options);
}

/** Starts timing a span whose context was made already (an HTTP request's, whose first log line came before its route was known). */
export function openSpan(context: TraceContext, options: SpanOptions): ActiveSpan {
  const exported = sink?.start(context, options);
  let ended = false;
  return {
    context,
    traceparent: formatTraceparent(context),
    end(outcome) {
      if (ended) return;
      ended = true;
      exported?.end(outcome);
    },
  };
}

function spanContextFor(parent: string | TraceContext | null | undefined): TraceContext {
  if (typeof parent === 'string') return continueTrace(parent);
  if (parent) return childSpan(parent);
  // null: explicitly no parent (a new trace even inside another's work).
  if (parent === null) return newTrace();
  const current = currentTrace();
  return current ? childSpan(current) : newTrace();
}

/**
 * Runs `fn` in a new span (see `startSpan` for `parent`) and ends the span when `fn` settles,
 * marked as an error when it throws. Everything `fn` logs and every event it creates carry the span.
 */
export async function inSpan<T>(options: SpanOptions, parent: string | TraceContext | null | undefined, fn: (span: ActiveSpan) => Promise<T>): Promise<T> {
  const span = startSpan(options, parent);
  try {
    const result = await runInTrace(span.context, () => fn(span));
    span.end();
    return result;
  } catch (error) {
    span.end({ error });
    throw error;
  }
}

/** `{ traceparent }` of the current span, to spread into outgoing headers or a job's data; `{}` outside any trace. */
export function traceHeaders(): { traceparent?: string } {
  const context = currentTrace();
  return context ? { traceparent: formatTraceparent(context) } : {};
}
