import { describe, expect, it } from 'vitest';
import { PolkuError } from '@polku/service-kit';
import { createEvent } from '@polku/contracts';
import { deadLetterHeaders, eventDeadLetterRecord } from './dead-letter';
import { DEAD_LETTER_HEADERS as H } from './headers';
import { REPLAY_HEADERS, consumerOf, replayHeaders, retryTopicFor } from './replay';
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

describe('eventDeadLetterRecord', () => {
  const event = createEvent('fi.polku.referral.routed.v1', { source: '/polku/router', subject: 'r-1', data: { referralId: 'r-1' }, id: 'e-2', correlationid: 'c-1' });
  const firstFailureAt = new Date('2025-03-10T06:15:00.000Z');
  const error = new PolkuError('DELIVERY_REJECTED', 'HTTP 422: {"error":"unknown school"}');

  it('keeps the event as published and adds the dead-letter headers with its original position', () => {
    const original = { topic: 'polku.referral.events.v1', partition: 2, offset: '41' };
    const { topic, record } = eventDeadLetterRecord('polku.referral.events.v1', event, { error, attempts: 1, firstFailureAt, by: 'adapter-host', original });
    expect(topic).toBe('polku.referral.events.v1.dlq');
    expect(record.key).toBe('r-1');
    expect(JSON.parse(String(record.value))).toEqual(event);
    expect(record.headers).toMatchObject({
      ce_id: 'e-2',
      'polku-correlation-id': 'c-1',
      [H.originalTopic]: 'polku.referral.events.v1',
      [H.originalPartition]: '2',
      [H.originalOffset]: '41',
      [H.errorCode]: 'DELIVERY_REJECTED',
      [H.errorMessage]: 'HTTP 422: {"error":"unknown school"}',
      [H.attempts]: '1',
      [H.firstFailureAt]: '2025-03-10T06:15:00.000Z',
      [H.consumerGroup]: 'adapter-host',
    });
  });

  it('leaves out the position headers when the original position is not known', () => {
    const { record } = eventDeadLetterRecord('polku.referral.events.v1', event, { error, attempts: 8, firstFailureAt, by: 'adapter-host' });
    expect(record.headers[H.originalTopic]).toBe('polku.referral.events.v1');
    expect(record.headers).not.toHaveProperty(H.originalPartition);
    expect(record.headers).not.toHaveProperty(H.originalOffset);
  });
});

describe('a replayed event given up on again', () => {
  const event = createEvent('fi.polku.referral.routed.v1', { source: '/polku/router', subject: 'r-1', data: { referralId: 'r-1' }, id: 'e-2' });
  const error = new PolkuError('DELIVERY_REJECTED', 'HTTP 422');

  it('is dead-lettered as the record first published, carrying its replay count and delivery id', () => {
    const headers = { [REPLAY_HEADERS.count]: '2', [REPLAY_HEADERS.of]: 'polku.referral.events.v1/3/17', 'polku-dlq-error-code': 'OLD' };
    const { topic, record } = eventDeadLetterRecord('polku.retry.v1.adapter-host', event, { error, attempts: 1, firstFailureAt: new Date(), by: 'adapter-host', headers, deliveryId: 'd-1' });
    expect(topic).toBe('polku.referral.events.v1.dlq');
    expect(record.headers).toMatchObject({
      [H.originalTopic]: 'polku.referral.events.v1', [H.originalPartition]: '3', [H.originalOffset]: '17',
      [REPLAY_HEADERS.count]: '2', [REPLAY_HEADERS.deliveryId]: 'd-1', [H.errorCode]: 'DELIVERY_REJECTED',
    });
  });
});

describe('replayHeaders', () => {
  it('copies only the event headers and the delivery id, counts the replay and names the original record', () => {
    const deadLetter = {
      'content-type': 'application/cloudevents+json', ce_id: 'e-1', ce_type: 't', ce_source: '/s', 'polku-correlation-id': 'c', 'polku-causation-id': 'k',
      traceparent: '00-abc-def-01', [REPLAY_HEADERS.deliveryId]: 'd-1', [REPLAY_HEADERS.count]: '1', 'x-anything': 'no',
      [H.errorCode]: 'X', [H.errorMessage]: 'boom', [H.consumerGroup]: 'router',
    };
    expect(replayHeaders(deadLetter, { topic: 'polku.referral.events.v1', partition: 1, offset: '9' })).toEqual({
      'content-type': 'application/cloudevents+json', ce_id: 'e-1', ce_type: 't', ce_source: '/s', 'polku-correlation-id': 'c', 'polku-causation-id': 'k',
      traceparent: '00-abc-def-01', [REPLAY_HEADERS.deliveryId]: 'd-1', [REPLAY_HEADERS.count]: '2', [REPLAY_HEADERS.of]: 'polku.referral.events.v1/1/9',
    });
  });

  it('names a consumer without its projection generation or retry suffix', () => {
    expect(consumerOf('projection.router.g7')).toBe('projection.router');
    expect(consumerOf('projection.router.retry')).toBe('projection.router');
    expect(retryTopicFor(consumerOf('adapter-host.deliveries'))).toBe('polku.retry.v1.adapter-host.deliveries');
  });
});
