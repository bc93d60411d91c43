import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, createKafkajsTransport, type Bus } from '@polku/bus';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freePort, freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { enqueue, startRelay, type Relay } from '../src/index';

const logger = createLogger({ service: 'outbox-test', level: process.env['LOG_LEVEL'] ?? 'silent' });
const brokers = () => process.env['KAFKA_BROKERS']!.split(',');
const EXAMPLE = JSON.parse(readFileSync(new URL('../../../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url), 'utf8')) as CloudEvent;

function submitted(referralId = randomUUID()): CloudEvent {
  return createEvent('fi.polku.referral.submitted.v1', { source: '/polku/referral-api', subject: referralId, data: { ...EXAMPLE.data, referralId }, correlationid: referralId, legalbasis: 'consent' }) as unknown as CloudEvent;
}

/** Every record on a topic, read from the start by a throwaway group, until `count` are in. */
async function readTopic(topic: string, count: number): Promise<CloudEvent[]> {
  const consumer = createKafkajsTransport({ brokers: brokers(), clientId: 'outbox-test-reader', logger }).consumer({ groupId: `reader-${randomUUID()}` });
  const events: CloudEvent[] = [];
  await consumer.connect();
  await consumer.subscribe([topic], true);
  await consumer.run(async (record) => void events.push(JSON.parse(record.value!.toString()) as CloudEvent));
  try {
    await eventually(() => events.length >= count || undefined, `${count} events on ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return events;
}

describe('the outbox and its relay', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let bus: Bus;
  let topic: string;
  const relays: Relay[] = [];

  beforeAll(async () => {
    // A database of its own: one relay leads per database, and it publishes every row it finds.
    const own = await freshTestDatabase(process.env['DATABASE_URL']!, 'outbox');
    drop = own.drop;
    db = createDatabase({ url: own.url, applicationName: 'outbox-test', logger });
    bus = createBus({ brokers: brokers(), clientId: 'outbox-test', logger });
    topic = `test.outbox.${randomUUID()}`;
    await bus.ensureTopics([{ name: topic, partitions: 3, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await bus?.close();
    await db?.close();
    await drop?.();
  });

  const relay = (over: Partial<Parameters<typeof startRelay>[0]> = {}) => {
    const started = startRelay({ db, bus, logger, pollMs: 100, ...over });
    relays.push(started);
    return started;
  };

  it('publishes what a committed transaction wrote, in order, and nothing of one rolled back', async () => {
    const referralId = randomUUID();
    const events = [submitted(referralId), submitted(referralId), submitted(referralId)];
    const lost = submitted();
    await db.transaction(async (tx) => {
      for (const event of events) await enqueue(tx, topic, event);
    });
    await expect(db.transaction(async (tx) => {
      await enqueue(tx, topic, lost);
      throw new Error('the vault write failed');
    })).rejects.toThrow();
    const r = relay();
    const seen = await readTopic(topic, 3);
    expect(seen.map((e) => e.id)).toEqual(events.map((e) => e.id));
    await eventually(async () => (await r.backlog()) === 0 || undefined, 'the backlog empty');
    expect((await db.query('SELECT 1 FROM outbox WHERE event ->> \'id\' = $1', [lost.id])).rowCount).toBe(0);
  });

  it('refuses to write an event that breaks its contract, and the transaction with it', async () => {
    const broken = { ...submitted(), data: { referralId: 'not-a-uuid' } } as CloudEvent;
    await expect(db.transaction((tx) => enqueue(tx, topic, broken))).rejects.toMatchObject({ code: 'EVENT_INVALID' });
  });

  it('keeps writing while Kafka is away, and publishes everything once it is back', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    // A relay whose broker does not answer: its rounds fail and it retries, losing nothing.
    const away = createBus({ brokers: [`127.0.0.1:${await freePort()}`], clientId: 'outbox-test-away', logger });
    const stuck = relay({ bus: away, maxBackoffMs: 200 });
    const written = Array.from({ length: 20 }, () => submitted());
    for (const event of written) await db.transaction((tx) => enqueue(tx, topic, event));
    await eventually(() => stuck.isLeader() || undefined, 'the stuck relay leading');
    expect(await stuck.backlog()).toBe(20);
    await stuck.stop();
    await away.close();

    relay();
    const seen = await readTopic(topic, 3 + 20);
    // Different referrals, different partitions: all of them arrive, in no order across partitions.
    expect(seen.map((e) => e.id)).toEqual(expect.arrayContaining(written.map((e) => e.id)));
  });

  it('lets one relay of several publish, and another take over when it stops', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const [a, b] = [relay(), relay()];
    await eventually(() => a.isLeader() || b.isLeader() || undefined, 'a leader');
    expect(a.isLeader() && b.isLeader()).toBe(false);
    const [leader, standby] = a.isLeader() ? [a, b] : [b, a];
    await leader.stop();
    await eventually(() => standby.isLeader() || undefined, 'the standby taking over', 5000);
    const referralId = randomUUID();
    const more = Array.from({ length: 10 }, () => submitted(referralId));
    for (const event of more) await db.transaction((tx) => enqueue(tx, topic, event));
    const seen = await readTopic(topic, 23 + 10);
    expect(seen.filter((e) => e.subject === referralId).map((e) => e.id)).toEqual(more.map((e) => e.id));
  });
});
