import { describe, expect, it } from 'vitest';
import { staleGeneratedFiles } from './generate-types';

describe('generated types', () => {
  it('match the schemas (run `pnpm gen:types` after editing a schema)', async () => {
    expect(await staleGeneratedFiles()).toEqual([]);
  }, 30_000);
});
