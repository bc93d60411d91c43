import { describe, expect, it } from 'vitest';
import { deliveryRelease } from './plan-deliveries';

describe('deliveryRelease', () => {
  it('carries need codes and urgency, with the routing attributes, only when need-description is released', () => {
    expect(deliveryRelease(['need-description', 'contact'])).toEqual({
      categories: ['contact', 'need-description'],
      fields: ['ageBand', 'language', 'legalBasis', 'municipalityCode', 'needCodes', 'submittedAt', 'urgency'],
      carriesNeed: true,
    });
  });

  it('says a delivery without need-description cannot be made (the facts do not go without their need codes)', () => {
    expect(deliveryRelease(['contact']).carriesNeed).toBe(false);
    expect(deliveryRelease([]).carriesNeed).toBe(false);
  });
});
