import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { createLogger } from '@polku/service-kit';
import { createBus, createKafkajsTransport, type Bus, type BusOptions, type IncomingRecord, type Transport } from '../src/index';
import { testEnv } from './env';

const EXAMPLE = new URL('../../../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url);

export const logger = createLogger({ service: 'bus-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

export function unique(prefix: string): string {
  return `test.${prefix}.${randomUUID()}`;
}

/** A valid referral.submitted event built like a service would: createEvent + data from the schema's example. */
export function referralSubmitted(): CloudEvent {
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as CloudEvent;
  const referralId = randomUUID();
  return createEvent('fi.polku.referral.submitted.v1', {
    source: '/polku/referral-api',
    subject: referralId,
    data: { ...example.data, referralId },
    correlationid: randomUUID(),
    traceparent: `00-${randomUUID().replaceAll('-', '')}-${randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
    legalbasis: 'consent',
  });
}

export function testBus(overrides: Partial<BusOptions> = {}): Bus {
  const env = testEnv();
  return createBus({ brokers: env.kafkaBrokers, clientId: 'bus-test', logger, ...overrides });
}

export function rawTransport(): Transport {
  return createKafkajsTransport({ brokers: testEnv().kafkaBrokers, clientId: 'bus-test-raw', logger });
}

/** Creates `<prefix>.<uuid>` and its `.dlq`, one partition each unless told otherwise. */
export async function freshTopic(bus: Bus, prefix: string, partitions = 1): Promise<string> {
  const name = unique(prefix);
  await bus.ensureTopics([{ name, partitions, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
  return name;
}

/** Reads the first `count` records of a topic with a throwaway group. */
export async function readRecords(topic: string, count: number, timeoutMs = 20_000): Promise<IncomingRecord[]> {
  const consumer = rawTransport().consumer({ groupId: unique('reader') });
  const records: IncomingRecord[] = [];
  await consumer.connect();
  await consumer.subscribe([topic], true);
  await consumer.run(async (record) => void records.push(record));
  try {
    await waitFor(() => records.length >= count, timeoutMs, `${count} records on ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
