import { describe, expect, it } from 'vitest';
import { pickReleased, releaseOf } from './release';

describe('releaseOf', () => {
  it('releases need codes and urgency only with need-description', () => {
    expect(releaseOf(['contact']).fields).toEqual(['contact']);
    expect(releaseOf(['identity', 'contact', 'guardians']).fields).toEqual(['child', 'contact', 'guardians']);
    expect(releaseOf(['need-description']).fields).toEqual(['description', 'needCodes', 'urgency']);
  });

  it('sorts and de-duplicates, and releases no field for categories the vault does not hold', () => {
    expect(releaseOf(['need-description', 'contact', 'contact'])).toEqual({ categories: ['contact', 'need-description'], fields: ['contact', 'description', 'needCodes', 'urgency'] });
    expect(releaseOf(['health'])).toEqual({ categories: ['health'], fields: [] });
    expect(releaseOf([])).toEqual({ categories: [], fields: [] });
  });

  it('picks exactly the released fields that are present, and lists them', () => {
    const source = { child: { firstName: 'Testi' }, contact: { phone: '0' }, needCodes: ['bullying'], urgency: 'soon', description: undefined, other: 1 };
    expect(pickReleased(source, releaseOf(['contact']))).toEqual({ values: { contact: { phone: '0' } }, fields: ['contact'] });
    expect(pickReleased(source, releaseOf(['need-description']))).toEqual({ values: { needCodes: ['bullying'], urgency: 'soon' }, fields: ['needCodes', 'urgency'] });
  });
});
