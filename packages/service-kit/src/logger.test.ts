import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { withTrace } from '@polku/telemetry';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination }) };
}

// Synthetic: individual number 947 (the 900-999 test range) with a valid check character.
const TEST_HETU = '010115A947V';

describe('logger', () => {
  it('redacts personal keys at any depth up to four levels', () => {
    const { lines, logger } = capture();
    logger.info({ identityCode: TEST_HETU, child: { name: 'Aino' }, referral: { guardians: [{ name: 'Pekka' }], description: 'kiusattu' }, needCodes: ['school-wellbeing'] }, 'referral received');
    const line = lines.join('');
    expect(line).not.toContain(TEST_HETU);
    expect(line).not.toContain('Aino');
    expect(line).not.toContain('Pekka');
    expect(line).not.toContain('kiusattu');
    expect(line).toContain('school-wellbeing');
  });

  it('masks an identity code that slipped into a message or an error', () => {
    const { lines, logger } = capture();
    logger.warn({ err: new Error(`lookup failed for ${TEST_HETU}`) }, `cannot route ${TEST_HETU}`);
    expect(lines.join('')).not.toContain(TEST_HETU);
    expect(lines.join('')).toContain('[HETU]');
  });

  it('carries the trace id of the work a line is written in, once, and none outside any', async () => {
    const { lines, logger } = capture();
    logger.info('outside');
    await withTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', async () => {
      logger.child({ eventId: 'e-1' }).info('inside');
      logger.child({ traceId: 'bound-already' }).info('bound');
    });
    const [outside, inside, bound] = lines;
    expect(JSON.parse(outside!)).not.toHaveProperty('traceId');
    expect(JSON.parse(inside!)).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: expect.stringMatching(/^[0-9a-f]{16}$/), eventId: 'e-1' });
    expect(bound!.match(/"traceId"/g)).toHaveLength(1);
  });
});
