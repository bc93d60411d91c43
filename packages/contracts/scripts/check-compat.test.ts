import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = resolve(import.meta.dirname, 'check-compat.ts');
// tsx is a workspace-root dev dependency; run its CLI with this Node so the test needs no PATH.
const TSX_CLI = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/cli.mjs');
const SCHEMA_PATH = 'schemas/referral/referral.submitted.v1.json';

const schema = (extra: { properties?: Record<string, unknown>; required?: string[] } = {}) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://schemas.polku.fi/referral/referral.submitted.v1.json',
  title: 'ReferralSubmittedV1',
  description: 'test',
  type: 'object',
  properties: { referralId: { type: 'string', format: 'uuid' }, ...extra.properties },
  required: ['referralId', ...(extra.required ?? [])],
  additionalProperties: false,
});

const repos: string[] = [];
afterEach(() => {
  for (const dir of repos.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polku-compat-'));
  repos.push(dir);
  mkdirSync(join(dir, 'schemas/referral'), { recursive: true });
  return dir;
}

function writeSchema(dir: string, content: unknown) {
  writeFileSync(join(dir, SCHEMA_PATH), JSON.stringify(content, null, 2));
}

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'ignore' });
}

function runCli(dir: string) {
  // The repo root goes in as an argument; POLKU_ROOT is set to nonsense to prove the argument wins.
  const result = spawnSync(process.execPath, [TSX_CLI, CLI, dir], { encoding: 'utf8', env: { ...process.env, POLKU_ROOT: '/nonexistent' } });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('check-compat CLI', () => {
  it('fails naming the schema file and the rule when an uncommitted edit adds a required property', () => {
    const dir = tempRepo();
    git(dir, 'init', '-q');
    writeSchema(dir, schema());
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'v1');
    writeSchema(dir, schema({ properties: { foo: { type: 'string' } }, required: ['foo'] }));

    const { status, output } = runCli(dir);
    expect(status).toBe(1);
    expect(output).toMatch(/schemas\/referral\/referral\.submitted\.v1\.json: required-added at \/properties\/foo \(vs [0-9a-f]{7,}\)/);
  }, 30_000);

  it('compares with every earlier version, not only the last', () => {
    const dir = tempRepo();
    git(dir, 'init', '-q');
    writeSchema(dir, schema({ properties: { sector: { type: 'string', enum: ['education', 'ngo'] } } }));
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'v1');
    // A bad edit that slipped into history must still fail later checks.
    writeSchema(dir, schema({ properties: { sector: { type: 'string', enum: ['education'] } } }));
    git(dir, 'commit', '-q', '-am', 'narrowed');

    const { status, output } = runCli(dir);
    expect(status).toBe(1);
    expect(output).toContain('enum-narrowed at /properties/sector');
  }, 30_000);

  it('passes a safe change and says what it checked', () => {
    const dir = tempRepo();
    git(dir, 'init', '-q');
    writeSchema(dir, schema());
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'v1');
    writeSchema(dir, schema({ properties: { note: { type: 'string', enum: ['x'] } } }));

    const { status, output } = runCli(dir);
    expect(status).toBe(0);
    expect(output).toContain('1 schemas checked against 1 earlier versions, no breaking change');
  }, 30_000);

  it('passes, and says so, where there is no history', () => {
    const dir = tempRepo();
    writeSchema(dir, schema());
    const { status, output } = runCli(dir);
    expect(status).toBe(0);
    expect(output).toContain('not a git repository');
  }, 30_000);
});
