import { mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A cross-process lock (a directory, created atomically), so two test runs starting
 * at once do not both start a broker. A lock older than `staleMs` is taken over.
 */
export async function withLock<T>(path: string, work: () => Promise<T>, staleMs = 180_000): Promise<T> {
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch {
      if (isStale(path, staleMs)) rmSync(path, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

function isStale(path: string, staleMs: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > staleMs;
  } catch {
    return true;
  }
}
