import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, isRunning, runLauncher, Started } from '../test/launcher-process';
import { processIdentity } from './proc';
import { claimProcessRecord } from './process-record';

const started = new Started();
afterEach(() => started.killAll());

function scratch(): { recordFile: string; logDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'polku-record-'));
  return { recordFile: join(dir, 'processes.json'), logDir: join(dir, 'logs') };
}

describe('a launcher killed with SIGKILL', () => {
  it('leaves no service that can stop running, a record of the one that cannot, and the next launch stops that one', async () => {
    const { recordFile, logDir } = scratch();
    const first = await runLauncher(recordFile, logDir, 500, { polite: FIXTURES.polite, stubborn: FIXTURES.stubborn });
    const [polite, stubborn] = first.processes;
    started.add(first.pid, polite!.pid, stubborn!.pid);

    first.child.kill('SIGKILL');
    await first.exited;
    // The polite service sees its stdin end and stops by itself; the stubborn one ignores that too.
    expect(await eventually(() => !isRunning(polite!.pid), 5000)).toBe(true);
    expect(readFileSync(join(logDir, 'polite.log'), 'utf8')).toContain('launcher gone (stdin closed)');
    expect(isRunning(stubborn!.pid)).toBe(true);
    const recorded = JSON.parse(readFileSync(recordFile, 'utf8')) as { processes: { name: string; pid: number }[] };
    expect(recorded.processes.map((p) => p.name).sort()).toEqual(['polite', 'stubborn']);

    const second = await runLauncher(recordFile, logDir, 500, {});
    started.add(second.pid);
    expect(isRunning(stubborn!.pid)).toBe(false);
    expect(second.stderr()).toContain(`stopping what an earlier launch left running: stubborn (pid ${stubborn!.pid})\n`);
    expect(second.stderr()).toContain('stubborn (left running) ignored SIGTERM for 0.5 s: killed');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(existsSync(recordFile)).toBe(false);
  });
});

describe('the process record', () => {
  it('never touches a process that merely reused a recorded pid', async () => {
    const { recordFile } = scratch();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.add(other.pid!);
    const now = processIdentity(other.pid!)!;
    const launcher = { pid: 1, startTime: '0', cmdline: 'a launcher long gone' };
    // Same pid, but another start time; and same pid and start time, but another command line.
    const processes = [
      { name: 'router', port: 1, pid: now.pid, startTime: String(Number(now.startTime) - 1), cmdline: now.cmdline },
      { name: 'consent', port: 2, pid: now.pid, startTime: now.startTime, cmdline: 'node --import tsx services/consent/src/server.ts' },
    ];
    writeFileSync(recordFile, JSON.stringify({ launcher, processes }));
    const lines: string[] = [];
    const record = await claimProcessRecord(recordFile, 500, (line) => lines.push(line));
    expect(isRunning(other.pid!)).toBe(true);
    expect(lines).toEqual([]);
    record.release();
  });

  it('is refused while the launcher that wrote it still runs, and nothing of it is stopped', async () => {
    const { recordFile, logDir } = scratch();
    const running = await runLauncher(recordFile, logDir, 500, { stubborn: FIXTURES.stubborn });
    started.add(running.pid, running.processes[0]!.pid);
    await expect(claimProcessRecord(recordFile, 500, () => {})).rejects.toMatchObject({ code: 'LAUNCHER_RUNNING' });
    expect(isRunning(running.processes[0]!.pid)).toBe(true);
  });
});
