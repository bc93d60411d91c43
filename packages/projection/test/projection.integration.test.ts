import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, type Bus } from '@polku/bus';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { rebuild, startProjection, type ProjectionSpec, type RunningProjection } from '../src/index';
import { countingSpec } from './fixtures/counting-spec';

const logger = createLogger({ service: 'projection-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
const EXAMPLE = JSON.parse(readFileSync(new URL('../../../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url), 'utf8')) as CloudEvent;

function submitted(referralId: string, id = randomUUID()): CloudEvent {
  return createEvent('fi.polku.referral.submitted.v1', { id, source: '/polku/test', subject: referralId, data: { ...EXAMPLE.data, referralId }, correlationid: referralId, legalbasis: 'consent' }) as unknown as CloudEvent;
}

/** A read model small enough to reason about: how many events each referral has had. */
describe('a projection in PostgreSQL', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let bus: Bus;
  let topic: string;
  const running: RunningProjection[] = [];
  let failNext = 0;
  let ownUrl: string;

  const spec = (name: string): ProjectionSpec => countingSpec(name, topic, () => {
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('the apply fails after writing (test)');
    }
  });
  const counts = async (name: string) => Object.fromEntries((await db.query<{ referral_id: string; events: number }>(`SELECT referral_id, events FROM ${name.replaceAll('-', '_')}_counts`)).rows.map((r) => [r.referral_id, r.events]));
  const start = async (name: string) => {
    await db.query(`CREATE TABLE IF NOT EXISTS ${name.replaceAll('-', '_')}_counts (referral_id text PRIMARY KEY, events integer NOT NULL)`);
    const p = await startProjection({ db, bus, logger, spec: spec(name), watchMs: 200 });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    const own = await freshTestDatabase(process.env['DATABASE_URL']!, 'projection');
    drop = own.drop;
    ownUrl = own.url;
    db = createDatabase({ url: own.url, applicationName: 'projection-test', logger });
    bus = createBus({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'projection-test', logger });
    topic = `test.projection.${randomUUID()}`;
    await bus.ensureTopics([{ name: topic, partitions: 3, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await bus?.close();
    await db?.close();
    await drop?.();
  });

  it('applies each event once, also one published twice, and rolls back an apply that fails before retrying it', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const twice = submitted(a);
    failNext = 1;
    await bus.publishMany(topic, [twice, submitted(a), twice, submitted(b)]);
    const p = await start('once');
    await p.caughtUp();
    expect(await counts('once')).toEqual({ [a]: 2, [b]: 1 });
    const { rows } = await db.query<{ n: string }>("SELECT sum(next_offset) AS n FROM projection_offsets WHERE projection = 'once'");
    expect(Number(rows[0]!.n)).toBe(4);
  });

  it('rebuilds from the topics to the same rows, while it runs, when asked', async () => {
    const p = running.find((r) => r.name === 'once')!;
    const before = await counts('once');
    const generation = await db.transaction((tx) => rebuild(tx, 'once'));
    expect(generation).toBe(p.generation() + 1);
    await eventually(() => p.generation() === generation || undefined, 'the projection on the new generation');
    await p.caughtUp();
    expect(await counts('once')).toEqual(before);
  });

  it('replays by itself when its store is emptied under it while it runs', async () => {
    const p = running.find((r) => r.name === 'once')!;
    const before = await counts('once');
    const generation = p.generation();
    await db.query('TRUNCATE once_counts');
    await db.query("DELETE FROM projection_offsets WHERE projection = 'once'");
    await db.query("DELETE FROM projection_handled WHERE projection = 'once'");
    await eventually(() => p.generation() > generation || undefined, 'a new generation');
    await p.caughtUp();
    expect(await counts('once')).toEqual(before);
  });

  it('replays at start when its store is behind what its group had read (a restored database)', async () => {
    const c = randomUUID();
    const first = await start('restored');
    await bus.publish(topic, submitted(c));
    await first.caughtUp();
    const before = await counts('restored');
    await first.stop();
    running.splice(running.indexOf(first), 1);
    // The database as it was before any of this: no rows, no progress.
    await db.query('TRUNCATE restored_counts');
    await db.query("DELETE FROM projection_offsets WHERE projection = 'restored'");
    await db.query("DELETE FROM projection_handled WHERE projection = 'restored'");
    const again = await start('restored');
    expect(again.generation()).toBe(first.generation() + 1);
    await again.caughtUp();
    expect(await counts('restored')).toEqual(before);
  });

  it('applies an event once when the process died after applying it but before Kafka had its commit', async () => {
    const referralId = randomUUID();
    // A topic of its own: the child dies on the first record it applies, which must be this one.
    const single = `test.projection.crash.${randomUUID()}`;
    await bus.ensureTopics([{ name: single, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
    await db.query('CREATE TABLE IF NOT EXISTS crashed_counts (referral_id text PRIMARY KEY, events integer NOT NULL)');
    await bus.publish(single, submitted(referralId));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/apply-then-die.ts', import.meta.url)), ownUrl, single, 'crashed'], { stdio: 'ignore', env: process.env });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');
    expect((await counts('crashed'))[referralId]).toBe(1);
    // Its successor is handed the same record again (no offset was committed) and applies it no second time.
    const successor = await startProjection({ db, bus, logger, spec: countingSpec('crashed', single), watchMs: 200 });
    running.push(successor);
    await successor.caughtUp();
    expect((await counts('crashed'))[referralId]).toBe(1);
  });

  it('shares the work between two instances, each event applied once', async () => {
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const [x, y] = [await start('shared'), await start('shared')];
    await bus.publishMany(topic, ids.map((id) => submitted(id)));
    await eventually(async () => ((await x.lag()) === 0 && (await y.lag()) === 0) || undefined, 'both caught up');
    const seen = await counts('shared');
    expect(ids.every((id) => seen[id] === 1)).toBe(true);
  });
});
