import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEvent } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import { CLOUDEVENTS_CONTENT_TYPE } from './headers';
import { createPublisher } from './publisher';
import type { Sender } from './sender';
import type { OutgoingRecord } from './transport/types';
import { defaultValidator } from './validation';

const example = {
  referralId: '6d1f3b2a-8c4e-4f7a-b1d2-9e0a3c5b7f11', needCodes: ['school-attendance'], urgency: 'soon', municipalityCode: '179',
  ageBand: '13-15', language: 'fi', submitter: { organisationId: 'jyvaskyla-education', role: 'school-social-worker' },
  legalBasis: 'consent', submittedAt: '2025-03-10T08:14:52+02:00',
};

/** The Kafka side is the boundary here: record what would be sent. */
function recordingSender() {
  const sent: { topic: string; records: OutgoingRecord[] }[] = [];
  const sender: Sender = { send: async (topic, records) => void sent.push({ topic, records }), close: async () => {} };
  return { sent, publisher: createPublisher({ sender, validate: defaultValidator, logger: createLogger({ service: 'test', level: 'silent' }) }) };
}

describe('publisher', () => {
  it('sends the structured event keyed by its subject, with correlation and trace headers', async () => {
    const { sent, publisher } = recordingSender();
    const correlationid = randomUUID();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: example.referralId, data: example, correlationid, traceparent });
    await publisher.publish('polku.referral.events.v1', event);
    expect(sent).toHaveLength(1);
    const record = sent[0]?.records[0];
    expect(record?.key).toBe(example.referralId);
    expect(JSON.parse(String(record?.value))).toEqual(event);
    expect(record?.headers).toMatchObject({ 'content-type': CLOUDEVENTS_CONTENT_TYPE, 'polku-correlation-id': correlationid, traceparent, ce_id: event.id });
  });

  it('sends none of a batch when one event is invalid', async () => {
    const { sent, publisher } = recordingSender();
    const good = createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: example.referralId, data: example });
    const bad = createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: example.referralId, data: { ...example, urgency: 'whenever' } });
    await expect(publisher.publishMany('t', [good, bad])).rejects.toMatchObject({ code: 'EVENT_INVALID', issues: [{ path: '/data/urgency' }] });
    expect(sent).toEqual([]);
  });
});
