import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { currentTraceparent, parseTraceparent } from '@polku/telemetry';
import { startCollector } from '@polku/telemetry/testing';
import { loadConfig } from './config';
import { commonSettings } from './common-settings';
import { createHttpApp } from './http-app';
import { createLogger } from './logger';
import { startServiceTracing } from './service-tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const lines: Array<Record<string, unknown>> = [];
const raw: string[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    raw.push(String(chunk));
    lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
    done();
  },
});
let app: FastifyInstance;
const seenInHandler: Array<string | undefined> = [];

beforeAll(async () => {
  app = await createHttpApp({ logger: createLogger({ service: 'test', destination }), title: 'test', version: '1' });
  app.post('/things', { schema: { body: { type: 'object', properties: { name: { type: 'string' } } } } }, async (request, reply) => {
    // After the body was read (outside the request's async context): the trace must still be current.
    seenInHandler.push(currentTraceparent());
    request.log.info('thing taken');
    return reply.status(202).send({ ok: true });
  });
});

afterAll(async () => {
  await app.close();
});

describe('trace context of HTTP requests', () => {
  it('continues an incoming traceparent through the body, the handler and every log line of the request', async () => {
    lines.length = 0;
    raw.length = 0;
    const answer = await app.inject({ method: 'POST', url: '/things', headers: { traceparent: TRACEPARENT }, payload: { name: 'x' } });
    expect(answer.statusCode).toBe(202);
    const inHandler = parseTraceparent(seenInHandler.at(-1));
    expect(inHandler?.traceId).toBe(TRACE_ID);
    // A span of its own, child of the caller's.
    expect(inHandler?.spanId).not.toBe('00f067aa0ba902b7');
    expect(parseTraceparent(answer.headers.traceresponse as string)?.traceId).toBe(TRACE_ID);
    const messages = lines.map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['incoming request', 'thing taken', 'request completed']));
    for (const line of lines) expect(line.traceId).toBe(TRACE_ID);
    for (const line of raw) expect(line.match(/"traceId"/g)).toHaveLength(1);
  });

  it('starts a new trace without a valid traceparent and names it in a problem answer', async () => {
    const answer = await app.inject({ method: 'GET', url: '/nowhere', headers: { traceparent: 'garbage' } });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    const traceId = answer.json().traceId as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parseTraceparent(answer.headers.traceresponse as string)?.traceId).toBe(traceId);
    const invalid = await app.inject({ method: 'POST', url: '/things', headers: { traceparent: TRACEPARENT }, payload: { name: 5 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'VALIDATION_FAILED', traceId: TRACE_ID });
  });

  it('keeps concurrent requests in their own traces', async () => {
    const ids = ['a', 'b', 'c'].map((c) => c.repeat(32));
    seenInHandler.length = 0;
    await Promise.all(ids.map((id) => app.inject({ method: 'POST', url: '/things', headers: { traceparent: `00-${id}-00f067aa0ba902b7-01` }, payload: { name: 'x' } })));
    expect(seenInHandler.map((tp) => parseTraceparent(tp)?.traceId).sort()).toEqual(ids);
  });
});

describe('OpenTelemetry export of HTTP requests', () => {
  it('sends a server span in the caller\'s trace to OTEL_EXPORTER_OTLP_ENDPOINT, and none for health probes', async () => {
    const collector = await startCollector();
    const config = loadConfig(commonSettings, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    const tracing = await startServiceTracing(config, 'http-test', createLogger({ service: 'test', level: 'silent' }));
    try {
      await app.inject({ method: 'POST', url: '/things', headers: { traceparent: TRACEPARENT }, payload: { name: 'x' } });
      await app.inject({ method: 'GET', url: '/health/live', headers: { traceparent: TRACEPARENT } });
    } finally {
      await tracing.close();
      await collector.close();
    }
    const spans = collector.spans.filter((span) => span.traceId === TRACE_ID);
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ serviceName: 'http-test', name: 'POST /things', kind: 2, parentSpanId: '00f067aa0ba902b7' });
    expect(spans[0]?.attributes['http.response.status_code']).toBe(202);
    expect(spans[0]?.spanId).toBe(parseTraceparent(seenInHandler.at(-1))?.spanId);
  });

  it('is off by default and refuses an endpoint that is not an http(s) URL', () => {
    expect(loadConfig(commonSettings, {}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(() => loadConfig(commonSettings, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
