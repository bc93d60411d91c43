import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBus, createKafkajsTransport, type Bus, type IncomingRecord } from '@polku/bus';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import {
  chainHash, entryOf, GENESIS_HASH, newSigningKey, parsePublicKeyring, parseSigningKey, signEvent, verifyLog, type CheckpointData,
} from '@polku/disclosure-log';
import { freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { eventually } from '@polku/test-kit';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { sealRecord } from './seal-record';
import { startSealer, type RunningSealer } from './sealer';

// Integration: the real broker and PostgreSQL (the vitest global setup provides them).
const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',');
const logger = createLogger({ service: 'disclosure-sealer-test', level: 'silent' });
const writer = newSigningKey('referral-api-1');
const sealerKey = newSigningKey('disclosure-sealer-1');
const keyring = parsePublicKeyring(`${writer.publicKey},${sealerKey.publicKey}`);
const SUBJECT = 'sr_iBrTLdiVcdGM2D5F6SzwssbOrytF8f-QhyObsIYdSrc';

function refused(n: number): CloudEvent {
  const at = new Date(Date.UTC(2026, 0, 1, 8, 0, n)).toISOString();
  return createEvent('fi.polku.disclosure.refused.v1', {
    source: '/polku/referral-api', subject: SUBJECT, time: at,
    data: {
      disclosureId: randomUUID(), subjectRef: SUBJECT, referralId: '6d1f3b2a-8c4e-4f7a-b1d2-9e0a3c5b7f11',
      recipient: { organisationId: 'mll-keski-suomi', systemId: 'inbox' }, dataCategories: ['identity'],
      purpose: 'service-provision', reasonCode: 'no-consent', at,
    },
  }) as CloudEvent;
}

describe('the disclosure sealer', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: Database;
  let bus: Bus;
  let sealer: RunningSealer;
  let checkpointer: Checkpointer;
  const logTopic = `test.seal.${randomUUID()}`;
  const checkpointTopic = `${logTopic}.checkpoints`;
  const transport = createKafkajsTransport({ brokers, clientId: 'sealer-test', logger });

  beforeAll(async () => {
    database = await freshTestDatabase(process.env['DATABASE_URL']!, 'sealer');
    db = createDatabase({ url: database.url, applicationName: 'sealer-test', logger });
    bus = createBus({ brokers, clientId: 'sealer-test', logger, transport });
    await bus.ensureTopics([
      { name: logTopic, partitions: 2, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'subject reference' },
      { name: checkpointTopic, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'partition' },
    ]);
  });

  afterAll(async () => {
    await sealer?.stop();
    await checkpointer?.stop();
    const admin = await bus.admin();
    await admin.deleteTopics([logTopic, checkpointTopic]).catch(() => {});
    await bus.close();
    await db.close();
    await database.drop();
  });

  it('chains every record of a partition in offset order, names the forged ones, and checkpoints it', async () => {
    const signed = [0, 1, 2].map((n) => signEvent(refused(n), parseSigningKey(writer.signingKey)));
    await bus.publishMany(logTopic, [signed[0]!, signed[1]!, refused(3), signed[2]!]);
    // A record that is not even JSON, written by someone at the broker.
    const producer = transport.producer();
    await producer.connect();
    await producer.send(logTopic, [{ key: SUBJECT, value: 'not json', headers: {} }]);
    await producer.disconnect();

    sealer = await startSealer({ db, transport, logger, keyring, logTopic });
    await eventually(() => sealer.sealed() === 5 || undefined, 'five records sealed', 30_000);
    checkpointer = startCheckpointer({ db, bus, logger, signingKey: parseSigningKey(sealerKey.signingKey), logTopic, checkpointTopic, intervalMs: 3_600_000 });
    expect(await checkpointer.checkpointNow()).toBe(1);
    expect(await checkpointer.checkpointNow()).toBe(0);

    const records = await readAll(logTopic, 5);
    const checkpoints = (await readAll(checkpointTopic, 1)).map((r) => JSON.parse(r.value!.toString()) as CloudEvent<CheckpointData>);
    const partition = records[0]!.partition;
    expect(checkpoints[0]!.data).toMatchObject({ partition, fromOffset: 0, toOffset: 4, count: 5, previousHash: GENESIS_HASH, forged: [{ offset: 2, problem: 'unsigned' }, { offset: 4, problem: 'not-an-event' }] });
    const expected = records.reduce((hash, r) => chainHash(hash, entryOf(r.value)), GENESIS_HASH);
    expect(checkpoints[0]!.data.lastHash).toBe(expected);

    const report = verifyLog({ records: records.map((r) => ({ partition: r.partition, offset: Number(r.offset), entry: entryOf(r.value) })), checkpoints, keyring, logTopic });
    expect(report.findings.map((f) => [f.kind, f.offset])).toEqual([['forged', 2], ['forged', 4]]);

    // A redelivered record is behind the head: nothing changes.
    expect(await db.transaction((tx) => sealRecord(tx, records[1]!, keyring))).toEqual({ sealed: false });
    const { rows } = await db.query<{ last_hash: string; next_offset: string }>('SELECT last_hash, next_offset FROM disclosure_seal_heads WHERE topic = $1', [logTopic]);
    expect(rows).toEqual([{ last_hash: expected, next_offset: '5' }]);
  });

  it('links the next checkpoint to the last one', async () => {
    await bus.publish(logTopic, signEvent(refused(9), parseSigningKey(writer.signingKey)));
    await eventually(() => sealer.sealed() === 6 || undefined, 'the sixth record sealed', 30_000);
    expect(await checkpointer.checkpointNow()).toBe(1);
    const checkpoints = (await readAll(checkpointTopic, 2)).map((r) => JSON.parse(r.value!.toString()) as CloudEvent<CheckpointData>);
    expect(checkpoints[1]!.data).toMatchObject({ fromOffset: 5, toOffset: 5, count: 1, previousHash: checkpoints[0]!.data.lastHash, forged: [] });
  });

  async function readAll(topic: string, count: number): Promise<IncomingRecord[]> {
    const consumer = transport.consumer({ groupId: `test.reader.${randomUUID()}` });
    const records: IncomingRecord[] = [];
    await consumer.connect();
    await consumer.subscribe([topic], true);
    await consumer.run(async (record) => void records.push(record));
    try {
      await eventually(() => records.length >= count || undefined, `${count} records on ${topic}`, 20_000);
    } finally {
      await consumer.disconnect();
    }
    return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
  }
});
