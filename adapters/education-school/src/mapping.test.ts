import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '@polku/adapter-kit';
import { toSchoolReferral } from './from-event';
import type { SchoolCallback, SchoolReferral } from './school-api';
import { toCallbackAction } from './to-event';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;

describe('field mapping', () => {
  it('maps a delivery to the school payload in fixtures/school-referral.json', () => {
    const expected = fixture<SchoolReferral>('school-referral.json');
    const delivery: Delivery = {
      deliveryId: expected.deliveryId, referralId: expected.referralId, role: 'lead', callbackUrl: expected.callbackUrl,
      recipient: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education', sector: 'education' },
      referral: { needCodes: ['school-attendance', 'mental-health'], urgency: 'soon', municipalityCode: '179', ageBand: '13-15', language: 'fi', legalBasis: 'consent', submittedAt: expected.submittedAt },
    };
    expect(toSchoolReferral(delivery, { dataCategories: expected.dataCategories, details: expected.details })).toEqual(expected);
  });

  it('sends only the details released, whatever else the referral holds', () => {
    const expected = fixture<SchoolReferral>('school-referral.json');
    const delivery: Delivery = {
      deliveryId: expected.deliveryId, referralId: expected.referralId, role: 'co-worker', callbackUrl: expected.callbackUrl,
      recipient: { organisationId: 'jyvaskyla-education' },
      referral: { needCodes: ['school-attendance'], urgency: 'soon', municipalityCode: '179', ageBand: '13-15', language: 'fi', legalBasis: 'consent', submittedAt: expected.submittedAt },
    };
    const payload = toSchoolReferral(delivery, { dataCategories: ['need-description'], details: { 'need-description': 'x' } });
    expect(payload).toMatchObject({ dataCategories: ['need-description'], details: { 'need-description': 'x' } });
    expect(Object.keys(payload.details)).toEqual(['need-description']);
  });

  it('maps the school callbacks in fixtures/ to Polku actions', () => {
    expect(toCallbackAction(fixture<SchoolCallback>('school-callback.accept.json'))).toEqual({
      callbackId: 'cb-2025-000123', referralId: '6d1f3b2a-8c4e-4f7a-b1d2-9e0a3c5b7f11', deliveryId: '5b0c3f9e-2a7d-8c41-9e6f-1d2b3c4d5e6f',
      action: 'accept', contactDueBy: '2025-03-19T16:00:00+02:00', occurredAt: '2025-03-10T10:02:00+02:00', externalRef: 'OH-000042',
    });
    expect(toCallbackAction(fixture<SchoolCallback>('school-callback.close.json'))).toMatchObject({ action: 'close', reason: 'helped' });
  });
});
