import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One process whose cost a benchmark reports. */
export interface WatchedProcess {
  name: string;
  pid: number;
  /** Count its child processes too (PostgreSQL serves each connection from a child of the postmaster). */
  withChildren?: boolean;
}

export interface ProcessCost {
  name: string;
  pid: number;
  /** CPU time over the wall time, in % of one core (200 = both cores of this machine). */
  cpuPercent: number;
  /** Largest resident set seen while sampling, MiB. */
  peakRssMiB: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux; /proc/<pid>/stat counts in it

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((child) => Number(statFields(child)?.[1]) === pid);
}

/** utime + stime; with children, also what its exited children used (cutime + cstime) and what the live ones use. */
function cpuTicks(p: WatchedProcess): number | undefined {
  const fields = statFields(p.pid);
  if (!fields) return undefined;
  const own = Number(fields[11]) + Number(fields[12]);
  if (!p.withChildren) return own;
  const live = childrenOf(p.pid).reduce((sum, child) => {
    const f = statFields(child);
    return sum + (f ? Number(f[11]) + Number(f[12]) : 0);
  }, 0);
  return own + Number(fields[13]) + Number(fields[14]) + live;
}

function rssOf(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident memory in MiB; with children, summed (shared pages counted in each, so an upper bound). */
function rssMiB(p: WatchedProcess): number {
  return rssOf(p.pid) + (p.withChildren ? childrenOf(p.pid).reduce((sum, child) => sum + rssOf(child), 0) : 0);
}

/**
 * Measures CPU and memory of processes over a stretch of time: CPU from the kernel's counters
 * at both ends, memory by sampling the resident set every `sampleMs`.
 */
export function startCostMeter(processes: readonly WatchedProcess[], sampleMs = 500) {
  const started = Date.now();
  const startTicks = new Map(processes.map((p) => [p.pid, cpuTicks(p)]));
  const peaks = new Map<number, number>();
  const sample = () => {
    for (const p of processes) peaks.set(p.pid, Math.max(peaks.get(p.pid) ?? 0, rssMiB(p)));
  };
  sample();
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return {
    stop(): ProcessCost[] {
      clearInterval(timer);
      sample();
      const seconds = (Date.now() - started) / 1000;
      return processes.map((p) => {
        const used = (cpuTicks(p) ?? 0) - (startTicks.get(p.pid) ?? 0);
        return { name: p.name, pid: p.pid, cpuPercent: round((100 * used) / TICKS_PER_SECOND / seconds), peakRssMiB: round(peaks.get(p.pid) ?? 0) };
      });
    },
  };
}

/**
 * The process listening on a loopback TCP port, found through the kernel's socket table, so a
 * broker, Redis or PostgreSQL that Polku did not start is measured too. Undefined when none is
 * visible (another user's process, or nothing listening).
 */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const localPort = parseInt(cols[1]!.split(':').pop()!, 16);
      if (localPort === port && cols[3] === '0A') inodes.add(cols[9]!); // 0A: LISTEN
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return Number(entry);
      } catch {
        // the descriptor closed meanwhile
      }
    }
  }
  return undefined;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
