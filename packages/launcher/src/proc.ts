import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What tells one process from another that later got the same pid: the kernel's start time
 * (clock ticks since boot, field 22 of /proc/<pid>/stat) and its command line.
 */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
  cmdline: string;
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  const stat = readProc(pid, 'stat');
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The identity of a live process; undefined when it is gone, a zombie, or /proc is not there. */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  const fields = statFields(pid);
  const cmdline = readProc(pid, 'cmdline');
  // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
  if (!fields || fields[0] === 'Z' || cmdline === undefined) return undefined;
  return { pid, startTime: fields[19]!, cmdline: cmdline.replaceAll('\0', ' ').trim() };
}

/** `pid 123 (node … scripts/start.ts)`: a command line cut to its end, where what it runs is named. */
export function describeProcess(identity: ProcessIdentity): string {
  const { cmdline } = identity;
  const words = cmdline.split(' ');
  const shown = cmdline.length <= 100 ? cmdline : `${words[0]!.split('/').pop()} … ${words.slice(-2).join(' ')}`;
  return `pid ${identity.pid} (${shown})`;
}

/** True only while the very process recorded runs: never for one that merely reused its pid. */
export function isSameProcess(recorded: ProcessIdentity): boolean {
  const now = processIdentity(recorded.pid);
  return now !== undefined && now.startTime === recorded.startTime && now.cmdline === recorded.cmdline;
}

/**
 * Signals the process group a launched process leads (it was started detached, so its pid is
 * the group's id), so anything it started goes too; falls back to the process alone.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // no such group (or process): try the next, or it is gone already
    }
  }
}

/** Waits until the recorded process is gone; false when it still runs after `timeoutMs`. */
export async function waitUntilGone(recorded: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isSameProcess(recorded)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}
