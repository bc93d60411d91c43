import { describe, expect, it } from 'vitest';
import { commonDefinition, LEGAL_BASES, NEED_CODES, SUBMITTER_ROLES } from './common-codes';

describe('common codes', () => {
  it('are the enums of common.v1.json', () => {
    expect(NEED_CODES).toContain('learning-support');
    expect(LEGAL_BASES).toEqual(['consent', 'lsl-25', 'lsl-25a', 'shl-35']);
    expect(SUBMITTER_ROLES).toContain('resident');
  });

  it('gives copies of leaf definitions and refuses ones that refer to others', () => {
    expect(commonDefinition('language')).toMatchObject({ type: 'string', pattern: '^[a-z]{2,3}$' });
    expect(() => commonDefinition('needCodes')).toThrow(/refers to others/);
    expect(() => commonDefinition('nope')).toThrow(RangeError);
  });
});
