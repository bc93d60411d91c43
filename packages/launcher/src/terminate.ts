import { signalGroup } from './proc';

export type Say = (line: string) => void;

/** `[polku] …` on stderr; a closed terminal (EIO, EPIPE) must not stop a launcher that is stopping things. */
export const sayOnStderr: Say = (line) => {
  try {
    process.stderr.write(`[polku] ${line}\n`);
  } catch {
    // nowhere left to say it
  }
};

/** True when the promise settles within `ms`, false when the time runs out first. */
export function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/**
 * SIGTERM to the process's group, then SIGKILL once `graceMs` has passed, saying so: a
 * process that had to be killed may have left work half done, and whoever stopped it
 * should know which one. Resolves when `exited` does (or 5 s after the SIGKILL).
 */
export async function terminate(target: { name: string; pid: number }, exited: Promise<unknown>, graceMs: number, say: Say): Promise<'stopped' | 'killed'> {
  signalGroup(target.pid, 'SIGTERM');
  if (await within(exited, graceMs)) return 'stopped';
  signalGroup(target.pid, 'SIGKILL');
  say(`${target.name} ignored SIGTERM for ${Math.round(graceMs / 100) / 10} s: killed`);
  await within(exited, 5_000);
  return 'killed';
}
