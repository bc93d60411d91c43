import { describe, expect, it } from 'vitest';
import { childSpan, continueTrace, currentTraceId, currentTraceparent, formatTraceparent, newTrace, parseTraceparent, withTrace } from './trace-context';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('parses a valid header and formats it back', () => {
    const parent = parseTraceparent(VALID);
    expect(parent).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    expect(formatTraceparent(parent!)).toBe(VALID);
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['repeated header', [VALID, VALID]],
    ['upper-case hex', VALID.toUpperCase()],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['extra field in version 00', `${VALID}-extra`],
    ['not hex', '00-4bf92f3577b34da6a3ce929d0e0e473x-00f067aa0ba902b7-01'],
    ['garbage', 'not-a-trace'],
  ])('refuses %s', (_what, header) => {
    expect(parseTraceparent(header as string | undefined)).toBeUndefined();
  });

  it('reads a later version by its first four fields, ignoring what follows', () => {
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-later')?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('passes on only the sampled flag', () => {
    const parent = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03')!;
    expect(formatTraceparent(parent)).toBe(VALID);
  });
});

describe('spans', () => {
  it('a child keeps the trace id, gets a new span id and names its parent', () => {
    const root = newTrace();
    const child = childSpan(root);
    expect(child.traceId).toBe(root.traceId);
    expect(child.spanId).not.toBe(root.spanId);
    expect(child.parentSpanId).toBe(root.spanId);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('continues a valid traceparent and starts a new trace for an invalid one', () => {
    expect(continueTrace(VALID)).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7' });
    const fresh = continueTrace('garbage');
    expect(fresh.parentSpanId).toBeUndefined();
    expect(fresh.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});

describe('the current trace', () => {
  it('is there inside withTrace, through awaits, and gone outside', async () => {
    expect(currentTraceparent()).toBeUndefined();
    const seen = await withTrace(VALID, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return { traceId: currentTraceId(), traceparent: currentTraceparent() };
    });
    expect(seen.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(seen.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(seen.traceparent).not.toBe(VALID);
    expect(currentTraceId()).toBeUndefined();
  });

  it('keeps concurrent units of work apart', async () => {
    const a = '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-00f067aa0ba902b7-01';
    const b = '00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-00f067aa0ba902b7-01';
    const work = (parent: string) => withTrace(parent, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentTraceId();
    });
    expect(await Promise.all([work(a), work(b)])).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });
});
