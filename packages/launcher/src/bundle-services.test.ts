import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleServices } from './bundle-services';

const FIXTURE = 'packages/launcher/test/fixtures/where-am-i.ts';
const FIXTURE_DIR = resolve(import.meta.dirname, '..', 'test', 'fixtures');

describe('bundleServices', () => {
  it('builds an entry that runs as if from its source folder, workspace packages inside, node_modules packages from their place', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'polku-bundle-'));
    const bundles = await bundleServices([FIXTURE], outDir);
    const bundle = bundles[FIXTURE]!;
    expect(bundle.startsWith(outDir)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const said = JSON.parse(execFileSync(process.execPath, [bundle], { encoding: 'utf8' }));
    expect(said).toEqual({
      dirname: FIXTURE_DIR,
      url: pathToFileURL(join(FIXTURE_DIR, 'where-am-i.ts')).href,
      neighbour: true,
      catalogueServices: expect.any(Number),
      esbuild: 'string',
    });
    expect(said.catalogueServices).toBeGreaterThan(0);
  });

  it('names the TypeScript line in a stack trace', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'polku-bundle-'));
    const bundle = (await bundleServices(['packages/launcher/test/fixtures/throws.ts'], outDir))['packages/launcher/test/fixtures/throws.ts']!;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--enable-source-maps', bundle], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    }
    expect(stderr).toContain(`${join(FIXTURE_DIR, 'throws.ts')}:2`);
  });
});
