import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from '../test/otlp-collector';
import { currentTraceparent, parseTraceparent } from './trace-context';
import { inSpan, spanExportEnabled, startSpan } from './tracing';
import { startTracing } from './tracing-otel';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const silent = { warn: () => {}, info: () => {} };

describe('OpenTelemetry export', () => {
  let closeAll: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closeAll.reverse()) await close();
    closeAll = [];
  });

  it('is off without an endpoint: spans still carry context, nothing is loaded or sent', async () => {
    const tracing = await startTracing({ endpoint: undefined, serviceName: 'x', logger: silent });
    expect(tracing.enabled).toBe(false);
    expect(spanExportEnabled()).toBe(false);
    const seen = await inSpan({ name: 'work', kind: 'internal' }, PARENT, async () => currentTraceparent());
    expect(parseTraceparent(seen)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('exports spans with the very ids that were propagated, parents included, at close', async () => {
    const collector = await startCollector();
    closeAll.push(() => collector.close());
    const tracing = await startTracing({ endpoint: collector.url, serviceName: 'otel-test', logger: silent, scheduledDelayMs: 60_000 });
    expect(tracing.enabled).toBe(true);

    let outer = '';
    let inner = '';
    await inSpan({ name: 'POST /v1/things', kind: 'server', attributes: { 'http.request.method': 'POST' } }, PARENT, async (span) => {
      outer = span.traceparent;
      await inSpan({ name: 'things deliver', kind: 'client' }, undefined, async () => {
        inner = currentTraceparent()!;
      });
    });
    const failed = startSpan({ name: 'polku-timers process', kind: 'consumer' }, null);
    failed.end({ error: Object.assign(new Error('secret text'), { code: 'SOMETHING_DOWN' }) });
    await tracing.close();

    const byId = new Map(collector.spans.map((span) => [span.spanId, span]));
    const outerSpan = byId.get(parseTraceparent(outer)!.spanId);
    const innerSpan = byId.get(parseTraceparent(inner)!.spanId);
    expect(collector.paths).toContain('/v1/traces');
    expect(outerSpan).toMatchObject({ serviceName: 'otel-test', name: 'POST /v1/things', kind: 2, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7' });
    expect(outerSpan?.attributes['http.request.method']).toBe('POST');
    expect(innerSpan).toMatchObject({ kind: 3, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: outerSpan?.spanId });
    const failedSpan = byId.get(failed.context.spanId);
    expect(failedSpan).toMatchObject({ traceId: failed.context.traceId, kind: 5, status: { code: 2, message: 'SOMETHING_DOWN' } });
    expect(JSON.stringify(collector.spans)).not.toContain('secret text');
    expect(spanExportEnabled()).toBe(false);
  });

  it('closes within its deadline when the collector never answers, and when there is none', async () => {
    const hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    closeAll.push(() => new Promise((resolve) => hanging.close(() => resolve())));
    hanging.on('connection', (socket) => closeAll.push(async () => void socket.destroy()));
    const warnings: string[] = [];
    const logger = { warn: (_: object, message: string) => void warnings.push(message), info: () => {} };
    for (const endpoint of [`http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, 'http://127.0.0.1:9']) {
      const tracing = await startTracing({ endpoint, serviceName: 'otel-test', logger, timeoutMs: 300 });
      startSpan({ name: 'lost', kind: 'internal' }).end();
      await tracing.close();
    }
    expect(spanExportEnabled()).toBe(false);
    expect(warnings.length).toBeGreaterThan(0);
  });
});
