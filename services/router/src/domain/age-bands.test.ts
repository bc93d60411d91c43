import { describe, expect, it } from 'vitest';
import { bandFitsRange } from './age-bands';

describe('bandFitsRange', () => {
  it('matches a band that overlaps the range at all', () => {
    expect(bandFitsRange('3-6', { min: 6, max: 20 })).toBe(true);
    expect(bandFitsRange('16-17', { min: 0, max: 17 })).toBe(true);
    expect(bandFitsRange('18-29', { min: 0, max: 17 })).toBe(false);
    expect(bandFitsRange('0-2', { min: 13, max: 29 })).toBe(false);
  });

  it('lets an unknown age match any range', () => {
    expect(bandFitsRange('unknown', { min: 18, max: 29 })).toBe(true);
  });
});
