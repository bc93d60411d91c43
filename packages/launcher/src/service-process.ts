import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface ServiceSpec {
  /** Short name, used for the log file and in messages. */
  name: string;
  /** Entry file relative to the repository root, run with tsx. */
  entry: string;
  port: number;
  env: Record<string, string>;
  /** @defaultValue `/health/ready` */
  readyPath?: string;
}

/** One service running as its own OS process, as it would in production. */
export interface ServiceProcess {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  /** Everything it has written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after the grace period: a graceful stop. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** Starts the service and resolves once its readiness endpoint answers 200. */
export async function startServiceProcess(spec: ServiceSpec, logDir: string, timeoutMs = 60_000): Promise<ServiceProcess> {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const chunks: string[] = [];
  // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which then
  // stops the services one by one with a single SIGTERM each (a second signal means "now").
  const child = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...spec.env, PORT: String(spec.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Detached children outlive a launcher that crashes; never leave them running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk.toString());
      log.write(chunk);
    });
  }
  const url = `http://127.0.0.1:${spec.port}`;
  const handle: ServiceProcess = {
    name: spec.name,
    url,
    pid: child.pid!,
    logFile,
    output: () => chunks.join(''),
    async stop(graceMs = 15_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
  await waitUntilReady(handle, child, spec.readyPath ?? '/health/ready', timeoutMs);
  return handle;
}

async function waitUntilReady(handle: ServiceProcess, child: ChildProcess, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${handle.name} exited while starting (${child.exitCode ?? child.signalCode}); its output:\n${handle.output().slice(-3000)}`);
    }
    try {
      const res = await fetch(`${handle.url}${path}`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await handle.kill();
  throw new Error(`${handle.name} was not ready within ${timeoutMs / 1000}s; its output:\n${handle.output().slice(-3000)}`);
}
