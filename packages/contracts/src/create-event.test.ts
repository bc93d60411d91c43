import { describe, expect, it } from 'vitest';
import { ContractViolation } from './contract-violation';
import { withTrace } from '@polku/telemetry';
import { createEvent } from './create-event';

describe('createEvent', () => {
  it('fills the envelope around the data', () => {
    const event = createEvent('fi.polku.consent.granted.v1', { source: '/polku/consent', subject: 'abc', data: { a: 1 } });
    expect(event).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: '/polku/consent',
      type: 'fi.polku.consent.granted.v1',
      time: expect.any(String),
      subject: 'abc',
      datacontenttype: 'application/json',
      dataschema: 'https://schemas.polku.fi/consent/consent.granted.v1.json',
      data: { a: 1 },
    });
    expect(Number.isNaN(Date.parse(event.time))).toBe(false);
  });

  it('gives each event its own id unless one is given', () => {
    const fields = { source: '/s', subject: 's', data: {} };
    expect(createEvent('fi.polku.referral.routed.v1', fields).id).not.toBe(createEvent('fi.polku.referral.routed.v1', fields).id);
    expect(createEvent('fi.polku.referral.routed.v1', { ...fields, id: 'fixed' }).id).toBe('fixed');
  });

  it('keeps extensions that are set and leaves out those that are not', () => {
    const event = createEvent('fi.polku.referral.routed.v1', { source: '/s', subject: 's', data: {}, correlationid: 'c', consentid: undefined });
    expect(event.correlationid).toBe('c');
    expect('consentid' in event).toBe(false);
  });

  it('carries the current span as its traceparent unless one is given, and none outside any trace', async () => {
    const fields = { source: '/s', subject: 's', data: {} };
    const given = '00-11111111111111111111111111111111-2222222222222222-01';
    await withTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', async () => {
      expect(createEvent('fi.polku.referral.routed.v1', fields).traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(createEvent('fi.polku.referral.routed.v1', { ...fields, traceparent: given }).traceparent).toBe(given);
    });
    expect('traceparent' in createEvent('fi.polku.referral.routed.v1', fields)).toBe(false);
  });

  it('throws a ContractViolation for a type that names no schema', () => {
    expect(() => createEvent('referral.submitted', { source: '/s', subject: 's', data: {} })).toThrow(ContractViolation);
  });
});
