import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { eventually, FIXTURES, isRunning, runLauncher, Started } from '../test/launcher-process';

const started = new Started();
afterEach(() => started.killAll());

it('stops on Ctrl-C, takes what wrappers pass on after it as the same request, and kills everything at a second Ctrl-C', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'polku-signals-'));
  const launcher = await runLauncher(join(dir, 'processes.json'), join(dir, 'logs'), 20_000, { stubborn: FIXTURES.stubborn, polite: FIXTURES.polite });
  const [stubborn, polite] = launcher.processes;
  started.add(launcher.pid, stubborn!.pid, polite!.pid);

  // One Ctrl-C under npm start: SIGINT from the terminal, tsx's repeat of it, pnpm's SIGTERM.
  launcher.child.kill('SIGINT');
  await sleep(50);
  launcher.child.kill('SIGINT');
  launcher.child.kill('SIGTERM');
  expect(await eventually(() => !isRunning(polite!.pid), 5000)).toBe(true);
  await sleep(1000);
  expect(isRunning(stubborn!.pid)).toBe(true);

  const began = Date.now();
  launcher.child.kill('SIGINT');
  expect(await launcher.exited).toBe(1);
  expect(Date.now() - began).toBeLessThan(1000);
  expect(isRunning(stubborn!.pid)).toBe(false);
  expect(launcher.stderr()).toContain('SIGINT again while stopping: killing everything now');
});
