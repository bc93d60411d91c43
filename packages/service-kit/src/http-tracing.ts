import type { IncomingMessage } from 'node:http';
import { continueTrace, formatTraceparent, openSpan, runInTrace, type ActiveSpan, type TraceContext } from '@polku/telemetry';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

/** The trace of each request, by its raw request: made with its logger, before Fastify knows its route. */
const contexts = new WeakMap<IncomingMessage, TraceContext>();
const spans = new WeakMap<IncomingMessage, ActiveSpan>();

/** The W3C Trace Context Level 2 response header: the trace (and span) that answered. */
export const TRACE_RESPONSE_HEADER = 'traceresponse';

function contextOf(raw: IncomingMessage): TraceContext {
  let context = contexts.get(raw);
  if (!context) {
    // A valid incoming `traceparent` is continued; anything else starts a trace of its own.
    context = continueTrace(raw.headers.traceparent);
    contexts.set(raw, context);
  }
  return context;
}

/**
 * Fastify's `childLoggerFactory`: every line of a request (its `incoming request` line included)
 * carries the request's `traceId` and `spanId`.
 */
export function tracedChildLogger(logger: FastifyBaseLogger, bindings: Record<string, unknown>, options: object, raw: IncomingMessage): FastifyBaseLogger {
  const { traceId, spanId } = contextOf(raw);
  return logger.child({ ...bindings, traceId, spanId }, options);
}

/** The trace id of a request, for its problem answers. */
export function requestTraceId(request: FastifyRequest): string {
  return contextOf(request.raw).traceId;
}

/**
 * Runs every request in its trace (the `als.run(store, done)` of @fastify/request-context, entered
 * again after the body is read, which happens outside it), times it as a server span (not health
 * probes: they would drown the traces), and names the trace in a `traceresponse` header.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const context = contextOf(request.raw);
    const route = request.routeOptions.url;
    if (!route?.startsWith('/health/')) {
      const name = `${request.method} ${route ?? 'unmatched'}`;
      spans.set(request.raw, openSpan(context, { name, kind: 'server', attributes: { 'http.request.method': request.method, 'http.route': route } }));
    }
    reply.header(TRACE_RESPONSE_HEADER, formatTraceparent(context));
    runInTrace(context, done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    runInTrace(contextOf(request.raw), done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    spans.get(request.raw)?.end({ attributes: { 'http.response.status_code': status }, ...(status >= 500 ? { error: { code: `HTTP_${status}` } } : {}) });
    done();
  });
}
