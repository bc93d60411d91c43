import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isSameProcess, processIdentity, signalGroup, type ProcessIdentity } from '../src/proc';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
/** Fixture entries as the launcher takes them: relative to the repository root. */
export const FIXTURES = { stubborn: 'packages/launcher/test/fixtures/stubborn.ts', polite: 'packages/launcher/test/fixtures/polite.ts' };

export interface LauncherRun {
  child: ChildProcess;
  pid: number;
  processes: { name: string; pid: number; port: number }[];
  stderr(): string;
  exited: Promise<number | null>;
}

/** Runs test/fixtures/launcher.ts and resolves once it has started every service given. */
export async function runLauncher(recordFile: string, logDir: string, graceMs: number, services: Record<string, string>): Promise<LauncherRun> {
  const args = Object.entries(services).map(([name, entry]) => `${name}=${entry}`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/launcher/test/fixtures/launcher.ts', recordFile, logDir, String(graceMs), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stdout = '';
  const ready = await new Promise<{ pid: number; processes: LauncherRun['processes'] }>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) done(JSON.parse(stdout.split('\n')[0]!));
    });
    void exited.then((code) => fail(new Error(`the launcher exited (${code}) before it was ready:\n${stderr}`)));
  });
  return { child, ...ready, stderr: () => stderr, exited };
}

export function isRunning(pid: number): boolean {
  return processIdentity(pid) !== undefined;
}

/** Polls until `check` holds; false when it still does not after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

/** Processes a test started, to kill after it whatever it got to. */
export class Started {
  private readonly all: ProcessIdentity[] = [];

  add(...pids: number[]): void {
    for (const pid of pids) {
      const identity = processIdentity(pid);
      if (identity) this.all.push(identity);
    }
  }

  killAll(): void {
    for (const identity of this.all.splice(0)) if (isSameProcess(identity)) signalGroup(identity.pid, 'SIGKILL');
  }
}
