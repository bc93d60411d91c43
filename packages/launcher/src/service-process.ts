import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PortInUse, type BusyPort } from './errors';
import { listensOn, portHolder, portIsFree } from './port-check';
import { describeProcess, processIdentity, signalGroup } from './proc';
import type { ProcessRecord } from './process-record';
import { sayOnStderr, terminate, type Say } from './terminate';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface ServiceSpec {
  /** Short name, used for the log file and in messages. */
  name: string;
  /** Entry file relative to the repository root, run with tsx unless a bundle of it is given. */
  entry: string;
  /** The entry built into one JavaScript file (`bundleServices`), which starts far faster. */
  bundle?: string;
  port: number;
  env: Record<string, string>;
  /** @defaultValue `/health/ready` */
  readyPath?: string;
  /** What the port is for, in messages. @defaultValue the name */
  what?: string;
  /** The setting that moves the port, named when the port is taken. @defaultValue none */
  portSetting?: string;
}

export interface StartOptions {
  /** @defaultValue 60000 */
  readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before it kills. @defaultValue 10000 */
  stopGraceMs?: number;
  /** Where the process is recorded, so a later launch stops it should this launcher die first. @defaultValue none */
  record?: ProcessRecord;
  /** Where a stop that had to kill is reported. @defaultValue `[polku] …` on stderr */
  say?: Say;
}

/** One service running as its own OS process, as it would in production. */
export interface ServiceProcess {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  /** What it has written to stdout and stderr since it started (the last 64 KiB). */
  output(): string;
  /** SIGTERM, then SIGKILL after the grace period (and a line saying so): a graceful stop. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Whether the process still runs (false after stop, kill, or a crash of its own). */
  running(): boolean;
}

/** The port as a problem, when something already listens on it. */
export async function busyPort(port: number, what: string, setting?: string): Promise<BusyPort | undefined> {
  if (await portIsFree(port)) return undefined;
  return { port, what, setting, holder: portHolder(port) };
}

function tail(file: string, from: number, maxBytes = 64 * 1024): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(from, size - maxBytes);
    const bytes = Buffer.alloc(Math.max(0, size - start));
    readSync(fd, bytes, 0, bytes.length, start);
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function spawnService(spec: ServiceSpec, logFd: number): ChildProcess {
  // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which then
  // stops the services with one SIGTERM each (a second Ctrl-C means "now").
  // Output goes straight to the log file, so a service outliving the launcher loses no line and
  // never fails writing to a pipe nobody reads. Its stdin is a pipe only the launcher holds: the
  // kernel closes it however the launcher ends, SIGKILL included, and POLKU_EXIT_WITH_PARENT
  // makes the service stop at that end of file (closeOnSignal in service-kit).
  const args = spec.bundle ? ['--enable-source-maps', spec.bundle] : ['--import', 'tsx', spec.entry];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, POLKU_EXIT_WITH_PARENT: '1', ...spec.env, PORT: String(spec.port) },
    stdio: ['pipe', logFd, logFd],
    detached: true,
  });
  child.stdin?.on('error', () => {});
  return child;
}

// One 'exit' listener for every child, however many instances run (a listener each would pass
// Node's warning threshold of ten).
const killersOnExit = new Set<() => void>();
function killOnLauncherExit(kill: () => void): void {
  if (!process.listeners('exit').includes(killAllOnExit)) process.on('exit', killAllOnExit);
  killersOnExit.add(kill);
}
function killAllOnExit(): void {
  for (const kill of killersOnExit) kill();
}

/**
 * Starts the service and resolves once its readiness endpoint answers 200 from this very
 * process. Refuses a port something already listens on (`PortInUse`), so a leftover never
 * passes for the service.
 */
export async function startServiceProcess(spec: ServiceSpec, logDir: string, options: StartOptions = {}): Promise<ServiceProcess> {
  const { readyTimeoutMs = 60_000, stopGraceMs = 10_000, record, say = sayOnStderr } = options;
  const busy = await busyPort(spec.port, spec.what ?? spec.name, spec.portSetting);
  if (busy) throw new PortInUse([busy]);
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const logFd = openSync(logFile, 'a');
  const logStart = fstatSync(logFd).size;
  let child: ChildProcess;
  try {
    child = spawnService(spec, logFd);
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid!;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const identity = processIdentity(pid);
  if (identity) record?.add({ ...identity, name: spec.name, port: spec.port });
  // Detached children outlive a launcher that exits without stopping them; never leave them running.
  const killOnExit = () => {
    if (running(child)) signalGroup(pid, 'SIGKILL');
  };
  killOnLauncherExit(killOnExit);
  child.once('exit', () => {
    killersOnExit.delete(killOnExit);
    record?.remove(pid);
  });
  const handle: ServiceProcess = {
    name: spec.name,
    url: `http://127.0.0.1:${spec.port}`,
    pid,
    logFile,
    output: () => tail(logFile, logStart),
    async stop(graceMs = stopGraceMs) {
      if (running(child)) await terminate(handle, exited, graceMs, say);
    },
    async kill() {
      if (running(child)) signalGroup(pid, 'SIGKILL');
      await exited;
    },
    running: () => running(child),
  };
  try {
    await waitUntilReady(handle, child, spec, readyTimeoutMs);
  } catch (error) {
    await handle.kill();
    throw error;
  }
  return handle;
}

/** A 200 from the port, and the port held by the child: an answer from anything else does not count. */
async function answersReady(handle: ServiceProcess, child: ChildProcess, spec: ServiceSpec): Promise<boolean> {
  try {
    const res = await fetch(`${handle.url}${spec.readyPath ?? '/health/ready'}`, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    if (!res.ok) return false;
  } catch {
    return false; // not listening yet
  }
  if (!running(child)) return false;
  if (listensOn(handle.pid, spec.port) === false) {
    const holder = portHolder(spec.port);
    throw new Error(`${spec.name}: port ${spec.port} answered, but from ${holder ? describeProcess(holder) : 'another process'}, not from the process started (pid ${handle.pid})`);
  }
  return true;
}

async function waitUntilReady(handle: ServiceProcess, child: ChildProcess, spec: ServiceSpec, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(child)) {
      throw new Error(`${handle.name} exited while starting (${child.exitCode ?? child.signalCode}); its output:\n${handle.output().slice(-3000)}`);
    }
    if (await answersReady(handle, child, spec)) return;
    await sleep(200);
  }
  throw new Error(`${handle.name} was not ready within ${timeoutMs / 1000}s; its output:\n${handle.output().slice(-3000)}`);
}
