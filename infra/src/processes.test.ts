import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freezeProcess, runningThreads, thawProcess } from './processes';

describe('freezing a process', () => {
  it('resolves only once every thread has stopped, and thawing lets them run again', async () => {
    // A Node process has several threads (libuv pool, V8 platform workers), like a broker's many.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      for (let round = 0; round < 20; round++) {
        await freezeProcess(child.pid!);
        expect(runningThreads(child.pid!)).toBe(0);
        thawProcess(child.pid!);
        await expect.poll(() => runningThreads(child.pid!)).toBeGreaterThan(0);
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
