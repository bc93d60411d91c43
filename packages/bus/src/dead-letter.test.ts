import { describe, expect, it } from 'vitest';
import { PolkuError } from '@polku/service-kit';
import { deadLetterHeaders } from './dead-letter';
import { DEAD_LETTER_HEADERS as H } from './headers';
import type { IncomingRecord } from './transport/types';

const record: IncomingRecord = {
  topic: 'polku.referral.events.v1', partition: 4, offset: '1234567890123', key: null, value: null,
  headers: { ce_id: 'e-1', traceparent: '00-abc-def-01' }, timestamp: '0',
};

describe('deadLetterHeaders', () => {
  it('keeps the original headers and says where the record came from and why it failed', () => {
    const firstFailureAt = new Date('2025-03-10T06:15:00.000Z');
    const headers = deadLetterHeaders(record, { error: new PolkuError('SECTOR_UNAVAILABLE', 'timed out'), attempts: 5, firstFailureAt }, 'router');
    expect(headers).toEqual({
      ce_id: 'e-1',
      traceparent: '00-abc-def-01',
      [H.originalTopic]: 'polku.referral.events.v1',
      [H.originalPartition]: '4',
      [H.originalOffset]: '1234567890123',
      [H.errorCode]: 'SECTOR_UNAVAILABLE',
      [H.errorMessage]: 'timed out',
      [H.attempts]: '5',
      [H.firstFailureAt]: '2025-03-10T06:15:00.000Z',
      [H.consumerGroup]: 'router',
    });
  });

  it('codes a plain error INTERNAL, masks identity codes in its message and keeps the message short', () => {
    const error = new Error(`lookup failed for 010115A947V ${'x'.repeat(5000)}`);
    const headers = deadLetterHeaders(record, { error, attempts: 1, firstFailureAt: new Date() }, 'router');
    expect(headers[H.errorCode]).toBe('INTERNAL');
    expect(headers[H.errorMessage]).toMatch(/^lookup failed for \[HETU\] x+$/);
    expect(headers[H.errorMessage]?.length).toBe(1000);
  });
});
