import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LauncherRunning } from './errors';
import { portIsFree } from './port-check';
import { isSameProcess, processIdentity, waitUntilGone, type ProcessIdentity } from './proc';
import { terminate, type Say } from './terminate';

/** One process a launcher started, as the record keeps it. */
export interface RecordedProcess extends ProcessIdentity {
  name: string;
  port: number;
}

interface RecordContents {
  launcher: ProcessIdentity;
  processes: RecordedProcess[];
}

/**
 * The file naming what this launcher runs, so that if it dies without stopping them (SIGKILL,
 * a closed terminal) the next launch on the same file finds and stops them.
 */
export interface ProcessRecord {
  readonly file: string;
  add(process: RecordedProcess): void;
  remove(pid: number): void;
  /** Removes the file, once nothing recorded runs any more (else it stays for the next launch). */
  release(): void;
}

function read(file: string): RecordContents | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RecordContents;
  } catch {
    // Half-written by a launcher killed mid-write: nothing in it can be trusted to stop.
    return undefined;
  }
}

function write(file: string, contents: RecordContents): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written whole and renamed, so a launcher killed mid-write leaves the previous version.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(contents, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Stops what a launcher that is gone left running, in parallel: only processes whose pid,
 * start time and command line all still match the record, so a process that merely reused
 * a pid is never touched.
 */
export async function stopLeftovers(processes: RecordedProcess[], graceMs: number, say: Say): Promise<void> {
  const running = processes.filter(isSameProcess);
  if (running.length === 0) return;
  say(`stopping what an earlier launch left running: ${running.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}`);
  await Promise.all(
    running.map(async (p) => {
      await terminate({ name: `${p.name} (left running)`, pid: p.pid }, waitUntilGone(p, graceMs + 5_000), graceMs, say);
      // Killed, a process is a zombie at once, but holds its sockets until its last thread is gone.
      await portFreed(p.port, 5_000);
    }),
  );
}

async function portFreed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portIsFree(port)) && Date.now() < deadline) await sleep(50);
}

/**
 * Takes the record file for this launcher: refuses while the launcher that wrote it still
 * runs, stops the leftovers of one that died, then writes a record naming this launcher.
 */
export async function claimProcessRecord(file: string, graceMs: number, say: Say): Promise<ProcessRecord> {
  const previous = read(file);
  if (previous && isSameProcess(previous.launcher)) throw new LauncherRunning(file, previous.launcher);
  if (previous) await stopLeftovers(previous.processes, graceMs, say);
  // Without /proc (not Linux) nothing can be matched later, so nothing recorded is ever stopped.
  const contents: RecordContents = { launcher: processIdentity(process.pid) ?? { pid: process.pid, startTime: '', cmdline: '' }, processes: [] };
  write(file, contents);
  return {
    file,
    add(entry) {
      contents.processes.push(entry);
      write(file, contents);
    },
    remove(pid) {
      if (!contents.processes.some((p) => p.pid === pid)) return;
      contents.processes = contents.processes.filter((p) => p.pid !== pid);
      write(file, contents);
    },
    release() {
      if (contents.processes.length === 0) rmSync(file, { force: true });
    },
  };
}
