import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import { currentTraceId, parseTraceparent } from '@polku/telemetry';
import type { Bus } from '../src/index';
import { freshTopic, referralSubmitted, testBus, unique, waitFor } from './helpers';

describe('trace context across the bus', () => {
  let bus: Bus;
  afterEach(() => bus?.close());

  it('runs a handler in the consumed event\'s trace, so its log lines and the events it derives carry it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ service: 'bus-trace-test', level: 'info', destination: new Writable({ write: (chunk, _e, done) => void (lines.push(JSON.parse(String(chunk))), done()) }) });
    bus = testBus({ logger });
    const source = await freshTopic(bus, 'trace-source');
    const derivedTopic = await freshTopic(bus, 'trace-derived');
    const submitted = referralSubmitted();
    const traceId = parseTraceparent(submitted.traceparent)!.traceId;

    const seenByHandler: Array<string | undefined> = [];
    await bus.consume({
      groupId: unique('deriver'),
      topics: [source],
      fromBeginning: true,
      handler: async (event, context) => {
        seenByHandler.push(currentTraceId());
        context.logger.info('deriving');
        // As a projection derives an event: no traceparent given.
        const routed = createEvent('fi.polku.referral.routed.v1', { source: '/polku/test', subject: event.subject!, data: { referralId: event.subject }, causationid: event.id });
        await bus.publish(derivedTopic, { ...routed, data: routedData(event) });
      },
    });
    const derived: CloudEvent[] = [];
    const seenDownstream: Array<string | undefined> = [];
    await bus.consume({ groupId: unique('reader'), topics: [derivedTopic], fromBeginning: true, handler: async (event) => void (derived.push(event), seenDownstream.push(currentTraceId())) });

    await bus.publish(source, submitted);
    await waitFor(() => derived.length === 1, 30_000, 'the derived event');

    expect(seenByHandler).toEqual([traceId]);
    const derivedParent = parseTraceparent(derived[0]!.traceparent);
    expect(derivedParent?.traceId).toBe(traceId);
    // The handler's own span, not the publisher's: a child in the same trace.
    expect(derivedParent?.spanId).not.toBe(parseTraceparent(submitted.traceparent)!.spanId);
    expect(seenDownstream).toEqual([traceId]);
    const deriving = lines.find((line) => line.msg === 'deriving');
    expect(deriving).toMatchObject({ traceId, eventId: submitted.id });
  });

  it('starts a trace of its own for an event that carries none', async () => {
    bus = testBus();
    const topic = await freshTopic(bus, 'trace-none');
    const { traceparent: _none, ...untraced } = referralSubmitted();
    const seen: Array<string | undefined> = [];
    await bus.consume({ groupId: unique('g'), topics: [topic], fromBeginning: true, handler: async () => void seen.push(currentTraceId()) });
    await bus.publish(topic, untraced as CloudEvent);
    await waitFor(() => seen.length === 1, 30_000, 'the event');
    expect(seen[0]).toMatch(/^[0-9a-f]{32}$/);
  });
});

const ROUTED = new URL('../../../schemas/referral/examples/referral.routed.v1.valid.json', import.meta.url);

function routedData(submitted: CloudEvent): Record<string, unknown> {
  const example = JSON.parse(readFileSync(ROUTED, 'utf8')) as CloudEvent<Record<string, unknown>>;
  return { ...example.data, referralId: submitted.subject };
}
