import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKafkajsTransport } from '@polku/bus';
import { createLogger } from '@polku/service-kit';
import { runCommand } from './command';
import { eventually, testInfra } from './support';

const repoRoot = resolve(import.meta.dirname, '..');

/** A smoke test of the benchmark command, not a benchmark: it checks the run completes and reports every figure, never how fast. */
describe('npm run bench:flow', () => {
  it('runs every step on a small scale, reports every figure with its ratio as JSON, and leaves no topic behind', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'bench-flow-')), 'flow.json');
    const run = await runCommand(process.execPath, ['--import', 'tsx', 'packages/bench/src/flow.ts', '--smoke', '--json', json], { cwd: repoRoot, timeoutMs: 240_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));

    const phase = {
      rate: expect.anything(), connections: expect.any(Number), intakeSeconds: expect.any(Number), answered: expect.any(Number),
      accepted: expect.any(Number), acceptedPerSecond: expect.any(Number), intakeLatencyMs: { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) },
      errorsByStatus: expect.any(Object), connectionErrors: expect.any(Number), timeouts: expect.any(Number),
      deliveredPerSecond: expect.any(Number), endToEndLatencyMs: { p50: expect.any(Number), p99: expect.any(Number) }, drainSeconds: expect.any(Number),
      lost: [], duplicated: expect.any(Array),
      perKind: Object.fromEntries(['school-consented', 'child-welfare-notification', 'self-referral'].map((kind) => [kind, {
        accepted: expect.any(Number), reached: expect.any(Number), perSecond: expect.any(Number), endToEndLatencyMs: { p50: expect.any(Number), p99: expect.any(Number) },
      }])),
      processes: expect.arrayContaining(['referral-api', 'router', 'consent', 'adapter-host', 'kafka', 'bench driver'].map((name) => ({ name, pid: expect.any(Number), cpuPercent: expect.any(Number), peakRssMiB: expect.any(Number) }))),
    };
    expect(report).toMatchObject({
      runAt: expect.any(String),
      machine: { cpu: expect.any(String), cores: expect.any(Number), memoryGiB: expect.any(Number), node: expect.stringMatching(/^v24\./), java: expect.any(String), kafka: expect.any(String) },
      ceiling: {
        producerPerformance: { records: 5000, recordsPerSecond: expect.any(Number), mbPerSecond: expect.any(Number), latencyMs: { avg: expect.any(Number), p50: expect.any(Number), p99: expect.any(Number) } },
        consumerPerformance: { records: 5000, recordsPerSecond: expect.any(Number), mbPerSecond: expect.any(Number), rebalanceMs: expect.any(Number) },
        rawClient: { records: 5000, producePerSecond: expect.any(Number), consumePerSecond: expect.any(Number) },
      },
      bus: { events: 300, publishBatchedPerSecond: expect.any(Number), publishOneByOnePerSecond: expect.any(Number), consumePerSecond: expect.any(Number), latencyMs: { p50: expect.any(Number), p99: expect.any(Number) } },
      flow: { fixedRate: phase, flatOut: phase },
      ok: true,
    });
    // Every referral of the mix was accepted and counted.
    for (const p of [report.flow.fixedRate, report.flow.flatOut]) {
      for (const kind of Object.values(p.perKind) as Array<{ accepted: number; reached: number }>) expect(kind.reached).toBe(kind.accepted);
    }
    expect(report.ratios).toHaveLength(10);
    for (const ratio of report.ratios) expect(ratio).toEqual({ figure: expect.any(String), value: expect.any(Number), against: expect.any(String), ceiling: expect.any(Number), ratio: expect.any(Number) });
    expect(run.stdout).toMatch(/ratio: flat out: referrals delivered end to end \/s/);

    // Benchmark data never stays on the broker: its namespace's topics are gone.
    const admin = createKafkajsTransport({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-bench-check', logger: createLogger({ service: 'e2e', level: 'silent' }) }).admin();
    await admin.connect();
    try {
      expect(report.namespace).toMatch(/^bench-/);
      const left = async () => (await admin.listTopics()).filter((topic) => topic.startsWith(`${report.namespace}.`));
      await eventually(async () => ((await left()).length === 0 ? true : undefined), 'the namespace emptied', 20_000);
    } finally {
      await admin.disconnect();
    }
  }, 300_000);
});
