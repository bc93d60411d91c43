import { describe, expect, it } from 'vitest';
import { referralStory } from '../testing/story';
import { eventRow } from './event-row';

const position = { topic: 't', partition: 0, offset: '7' };

describe('what the console keeps of an event', () => {
  const story = referralStory();
  const rows = story.events.map((event) => eventRow(event, position));

  it('keeps ids, the position and the codes of each kind of event', () => {
    const [submitted, granted, routed, delivered, disclosed, succeeded, refused, failed, breached] = rows;
    expect(submitted).toMatchObject({ referralId: story.referralId, subjectRef: story.subjectRef, codes: { needCodes: ['school-attendance', 'mental-health'], urgency: 'soon' } });
    expect(granted).toMatchObject({ consentId: story.consentId, subjectRef: story.subjectRef, referralId: null, codes: { change: 'granted', kind: 'permission', status: 'active', grantorRole: 'self' } });
    expect(routed!.codes).toMatchObject({ ruleId: 'attendance-and-mental-health-13-17', lead: { serviceId: 'family-social-work' }, coWorkers: [{ serviceId: 'family-cafe' }] });
    expect(delivered).toMatchObject({ deliveryId: story.deliveredDelivery, codes: { adapterId: 'social-services.apotti' } });
    expect(disclosed).toMatchObject({ referralId: story.referralId, deliveryId: story.deliveredDelivery, consentId: story.consentId, codes: { outcome: 'released', dataCategories: ['need-description'], basis: { kind: 'consent' } } });
    expect(succeeded!.codes).toMatchObject({ outcome: 'succeeded', attempts: 2 });
    expect(refused!.codes).toMatchObject({ outcome: 'refused', reasonCode: 'ban-in-force', dataCategories: ['contact'] });
    expect(failed!.codes).toMatchObject({ outcome: 'failed', attempts: 5, errorCode: 'UPSTREAM_UNAVAILABLE', externalHttpStatus: 503 });
    expect(breached!.codes).toMatchObject({ sla: 'first-contact', dueAt: '2025-03-19T16:00:00+02:00' });
    expect(rows.every((row) => row.position === position)).toBe(true);
  });

  it('never puts a subject or person reference, a user reference or an external reference into the codes', () => {
    const codes = JSON.stringify(rows.map((row) => row.codes));
    expect(codes).not.toContain('sr_');
    expect(codes).not.toContain('pr_');
    expect(codes).not.toContain('userRef');
    expect(codes).not.toContain('externalRef');
    expect(codes).not.toContain('evidenceRef');
    expect(codes).not.toContain('professionalRef');
  });

  it('keeps the disclosure entry (with its subject reference) apart, for auditors', () => {
    const disclosed = rows[4]!;
    expect(disclosed.disclosure).toMatchObject({ subjectRef: story.subjectRef, recipient: { userRef: 'education_school' }, basis: { consentId: story.consentId } });
    expect(rows.filter((row) => row.disclosure).length).toBe(2);
  });
});
