#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test` and the other root scripts.
// It must run on whatever Node the machine has (>= 18), so it is plain ESM with no
// dependencies. It provisions, inside `.polku/` (git-ignored), what the project needs:
// Node.js 24 from the npm registry (only when the running Node is older), the pinned
// pnpm, and the workspace dependencies. Then it runs the task under Node 24.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, symlinkSync, chmodSync, statSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const home = join(root, '.polku');
const NODE_VERSION = '24.21.0';
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

/** Tasks run under Node 24 with pnpm on PATH. */
const TASKS = {
  // Plain node with tsx's loader, not the tsx command: on Ctrl-C, pnpm and tsx pass SIGTERM on and
  // tsx SIGKILLs a child that does not exit within 30 ms, which left services of a stopping demo running.
  start: ['node', '--import', 'tsx', 'scripts/start.ts'],
  test: ['pnpm', 'exec', 'tsx', 'scripts/run-tests.ts'],
  'infra:up': ['pnpm', 'exec', 'tsx', 'scripts/infra.ts', 'up'],
  'infra:down': ['pnpm', 'exec', 'tsx', 'scripts/infra.ts', 'down'],
  'contracts:check': ['pnpm', '--filter', '@polku/contracts', 'run', 'check:compat'],
  'contracts:types': ['pnpm', '--filter', '@polku/contracts', 'run', 'gen:types'],
  'bench:bus': ['pnpm', 'exec', 'tsx', 'packages/bench/src/bus.ts'],
  'bench:flow': ['pnpm', 'exec', 'tsx', 'packages/bench/src/flow.ts'],
  // The README's pictures of the console (not part of npm test): scripts/screenshots.ts
  'docs:screenshots': ['pnpm', 'exec', 'tsx', 'scripts/screenshots.ts'],
  chaos: ['pnpm', 'exec', 'tsx', 'packages/bench/src/chaos.ts'],
  rebuild: ['pnpm', 'exec', 'tsx', 'scripts/rebuild.ts'],
  'vault:rotate': ['pnpm', '--filter', '@polku/referral-api', 'run', 'vault:rotate'],
  // From the root, so that --file and --out paths are the caller's.
  'disclosures:verify': ['pnpm', 'exec', 'tsx', 'services/disclosure-sealer/src/cli/disclosures.ts', 'verify'],
  'disclosures:export': ['pnpm', 'exec', 'tsx', 'services/disclosure-sealer/src/cli/disclosures.ts', 'export'],
  // `npm run keys -- issue|list|revoke|rotate …` (docs/keys.md)
  keys: ['pnpm', '--filter', '@polku/referral-api', 'run', 'keys'],
  // Demo only: a signed assertion of the stand-in resident e-service (docs/keys.md)
  resident: ['pnpm', 'exec', 'tsx', 'scripts/resident-assertion.ts'],
};

function say(message) {
  process.stderr.write(`[polku] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

/** Downloads one npm package's tarball with the machine's npm and unpacks it into `dest`. */
function unpackFromRegistry(spec, dest) {
  const work = join(tmpdir(), `polku-pack-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    const packed = spawnSync('npm', ['pack', spec, '--silent', '--pack-destination', work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (packed.status !== 0) throw new Error(`npm pack ${spec} failed`);
    const tarball = join(work, packed.stdout.trim().split('\n').pop());
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    run('tar', ['xzf', tarball, '-C', dest, '--strip-components=1']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function nodeMajor(version) {
  return Number(version.replace(/^v/, '').split('.')[0]);
}

function ensureNode() {
  if (nodeMajor(process.versions.node) >= 24) return process.execPath;
  const binary = join(home, 'node', 'bin', 'node');
  if (existsSync(binary)) {
    const v = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    if (v === `v${NODE_VERSION}`) return binary;
  }
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    throw new Error(`Node.js 24 is needed; install it yourself on ${process.platform}/${process.arch} and run again`);
  }
  say(`Node ${process.versions.node} is older than 24: fetching Node ${NODE_VERSION} from the npm registry into .polku/node`);
  unpackFromRegistry(`node-linux-${arch}@${NODE_VERSION}`, join(home, 'node'));
  chmodSync(binary, 0o755);
  return binary;
}

function ensurePnpm(nodeBinary) {
  const entry = join(home, 'pnpm', 'bin', 'pnpm.cjs');
  const stamp = join(home, 'pnpm', 'package.json');
  if (!existsSync(entry) || JSON.parse(readFileSync(stamp, 'utf8')).version !== pnpmVersion) {
    say(`fetching pnpm ${pnpmVersion} into .polku/pnpm`);
    unpackFromRegistry(`pnpm@${pnpmVersion}`, join(home, 'pnpm'));
  }
  // A bin folder first on PATH, so turbo and package scripts find the same node and pnpm.
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'pnpm'), `#!/bin/sh\nexec "${nodeBinary}" "${entry}" "$@"\n`, { mode: 0o755 });
  rmSync(join(bin, 'node'), { force: true });
  symlinkSync(nodeBinary, join(bin, 'node'));
  return bin;
}

function ensureDependencies(env) {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing workspace dependencies (pnpm install --frozen-lockfile)');
  run('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only'], { cwd: root, env });
}

function main() {
  const [task, ...rest] = process.argv.slice(2);
  const command = TASKS[task];
  if (!command) {
    say(`unknown task "${task}"; one of: ${Object.keys(TASKS).join(', ')}`);
    process.exit(2);
  }
  const nodeBinary = ensureNode();
  const bin = ensurePnpm(nodeBinary);
  // kafkajs 2.2.4 computes a negative timeout that Node 24 warns about once per process;
  // the timer still fires at once, as kafkajs intends.
  const nodeOptions = [process.env.NODE_OPTIONS, '--disable-warning=TimeoutNegativeWarning'].filter(Boolean).join(' ');
  const env = { ...process.env, PATH: `${bin}:${dirname(nodeBinary)}:${process.env.PATH}`, NODE_OPTIONS: nodeOptions, npm_config_update_notifier: 'false' };
  ensureDependencies(env);
  const child = spawn(command[0], [...command.slice(1), ...rest], { cwd: root, env, stdio: 'inherit' });
  // Ctrl-C reaches the whole foreground process group already, the child included: wait for it.
  // A SIGTERM is meant for this process alone, so it is passed on.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
