import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
const PACKAGE = join(SRC, '..', 'package.json');
const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));

/** What a path to personal details would look like: the vault's table or package, the details route, the referral API's code. */
const FORBIDDEN = [/vault_records/i, /@polku\/personal-data/, /@polku\/referral-api/, /\/details\b/, /sealed\b.*FROM/i];

describe('the console has no path to the vault', () => {
  it('no source file names the vault table, its package, the referral API or its details route', () => {
    const offending = files(SRC)
      .filter((file) => file !== import.meta.filename)
      .flatMap((file) => FORBIDDEN.filter((pattern) => pattern.test(readFileSync(file, 'utf8'))).map((pattern) => `${relative(SRC, file)}: ${pattern}`));
    expect(offending).toEqual([]);
  });

  it('depends on no package that can open the vault or fetch details', () => {
    const pkg = JSON.parse(readFileSync(PACKAGE, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const all = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(all.filter((name) => ['@polku/personal-data', '@polku/referral-api', '@polku/adapter-kit'].includes(name))).toEqual([]);
  });
});
