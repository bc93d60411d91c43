import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** Where a unit of work sits in a distributed trace (W3C Trace Context). */
export interface TraceContext {
  /** 32 lower-case hex digits, shared by every span of the trace. */
  traceId: string;
  /** 16 lower-case hex digits: this unit of work. */
  spanId: string;
  /** The span this one continues (the caller's), when there is one. */
  parentSpanId?: string;
  /** Whether the trace is sampled (the `01` flag): exported spans follow the caller's decision. */
  sampled: boolean;
}

const HEX = /^[0-9a-f]+$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * A `traceparent` header's parent (its trace id, span id and sampled flag), or undefined when it is
 * not a valid one. Version 00 must be exactly four fields; a later version may add fields after
 * them, which are ignored (W3C Trace Context, "versioning"). Version ff and all-zero ids are invalid.
 */
export function parseTraceparent(header: string | string[] | undefined): Omit<TraceContext, 'parentSpanId'> | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const [version, traceId, spanId, flags] = value.split('-');
  if (version === undefined || traceId === undefined || spanId === undefined || flags === undefined) return undefined;
  if (version.length !== 2 || !HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' ? value.length !== 55 : value.length > 55 && value[55] !== '-') return undefined;
  if (traceId.length !== 32 || !HEX.test(traceId) || traceId === INVALID_TRACE_ID) return undefined;
  if (spanId.length !== 16 || !HEX.test(spanId) || spanId === INVALID_SPAN_ID) return undefined;
  if (flags.length !== 2 || !HEX.test(flags)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** `00-<trace id>-<span id>-<flags>`: what goes on the wire for `context` (unknown flags are not passed on). */
export function formatTraceparent(context: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'>): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? '01' : '00'}`;
}

/** True for a `traceparent` this module would continue. */
export function isValidTraceparent(header: string | string[] | undefined): header is string {
  return parseTraceparent(header) !== undefined;
}

export function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (id !== INVALID_SPAN_ID) return id;
  }
}

function newTraceId(): string {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    if (id !== INVALID_TRACE_ID) return id;
  }
}

/** The first span of a new trace (sampled). */
export function newTrace(): TraceContext {
  return { traceId: newTraceId(), spanId: newSpanId(), sampled: true };
}

/** A new span continuing `parent`: the same trace id, a new span id, the parent's sampling decision. */
export function childSpan(parent: Pick<TraceContext, 'traceId' | 'spanId' | 'sampled'>): TraceContext {
  return { traceId: parent.traceId, spanId: newSpanId(), parentSpanId: parent.spanId, sampled: parent.sampled };
}

/**
 * A span continuing `traceparent` (a header, an event's extension, a job's data) when it is a valid
 * one; otherwise the first span of a new trace, as the W3C recommendation says for an invalid header.
 */
export function continueTrace(traceparent: string | string[] | undefined): TraceContext {
  const parent = parseTraceparent(traceparent);
  return parent ? childSpan(parent) : newTrace();
}

const storage = new AsyncLocalStorage<TraceContext>();

/** Runs `fn` with `context` as the current trace context (for everything it awaits, too). */
export function runInTrace<T>(context: TraceContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Runs `fn` in a new span continuing `traceparent` (or in a new trace when it is missing or invalid). */
export function withTrace<T>(traceparent: string | undefined, fn: () => T): T {
  return storage.run(continueTrace(traceparent), fn);
}

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

/** The current span as a `traceparent` value, to put on whatever leaves this unit of work. */
export function currentTraceparent(): string | undefined {
  const context = storage.getStore();
  return context ? formatTraceparent(context) : undefined;
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}
