import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The pid in a pid file, if the file exists and that process is alive. */
export function livePid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

/** The command line of a process, so we never stop a process that merely reused our pid. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Stops a process we started: SIGTERM, then SIGKILL after the grace period. */
export async function stopProcess(pid: number, pidFile: string, graceMs = 30_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    rmSync(pidFile, { force: true });
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) break;
    await sleep(200);
  }
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Freezes a process with SIGSTOP and resolves once every one of its threads has stopped.
 * `kill` returns as soon as the signal is queued; the threads stop one by one as the kernel
 * reaches them, and a broker's network thread can still answer a request meanwhile.
 */
export async function freezeProcess(pid: number, timeoutMs = 5000): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const deadline = Date.now() + timeoutMs;
  while (runningThreads(pid) > 0) {
    if (Date.now() > deadline) {
      thawProcess(pid); // the caller's finally never runs when this throws: leave nothing half-frozen
      throw new Error(`process ${pid} did not stop within ${timeoutMs} ms of SIGSTOP`);
    }
    await sleep(5);
  }
}

export function thawProcess(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

/** Threads of a process not in the stopped state ('T' in /proc/<pid>/task/<tid>/stat). */
export function runningThreads(pid: number): number {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0; // gone: nothing of it runs
  }
  return tasks.filter((tid) => {
    try {
      return !/\) [Tt] /.test(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      return false; // the thread ended while we looked
    }
  }).length;
}
