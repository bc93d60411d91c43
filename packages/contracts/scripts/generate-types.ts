/**
 * Writes TypeScript types for every schema into src/generated.
 * `--check` writes nothing and exits 1 naming each stale or missing file (CI, and a test).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderTypes } from './render-types';

export const GENERATED_DIR = resolve(import.meta.dirname, '../src/generated');

/** Names of generated files that differ from what the schemas produce now (missing and extra files included). */
export async function staleGeneratedFiles(dir: string = GENERATED_DIR): Promise<string[]> {
  const expected = await renderTypes();
  const present = existing(dir);
  const stale = [...expected].filter(([name, content]) => readOrUndefined(join(dir, name)) !== content).map(([name]) => name);
  const extra = present.filter((name) => !expected.has(name));
  return [...stale, ...extra].sort();
}

async function write(dir: string): Promise<void> {
  const files = await renderTypes();
  mkdirSync(dir, { recursive: true });
  for (const name of existing(dir)) if (!files.has(name)) rmSync(join(dir, name));
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  console.log(`wrote ${files.size} files to ${dir}`);
}

function existing(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.ts'));
  } catch {
    return [];
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

if (import.meta.filename === process.argv[1] || process.argv[1]?.endsWith('generate-types.ts')) {
  if (process.argv.includes('--check')) {
    const stale = await staleGeneratedFiles();
    if (stale.length > 0) {
      console.error(`generated types are stale, run \`pnpm gen:types\`:\n${stale.map((name) => `  src/generated/${name}`).join('\n')}`);
      process.exit(1);
    }
    console.log('generated types are up to date');
  } else {
    await write(GENERATED_DIR);
  }
}
