import { randomBytes, randomUUID } from 'node:crypto';
import { createKafkajsTransport, type Bus, type IncomingRecord, type TransportConsumer } from '@polku/bus';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import type { Logger } from '@polku/service-kit';
import type { Redis } from 'ioredis';
export { eventually } from '@polku/test-kit';

export function testEnv() {
  const brokers = process.env['KAFKA_BROKERS'];
  const redisUrl = process.env['REDIS_URL'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (!brokers || !redisUrl || !databaseUrl) throw new Error('adapter-host integration tests need KAFKA_BROKERS, REDIS_URL and DATABASE_URL (the vitest global setup sets them)');
  return { brokers: brokers.split(','), redisUrl, databaseUrl };
}

/**
 * A database of the test file's own, migrated, on the server of DATABASE_URL: its outbox relay
 * publishes every row it finds, so no two files may share one. `drop` closes and drops it.
 */
export async function ownDatabase(logger: Logger): Promise<{ db: Database; drop: () => Promise<void> }> {
  const own = await freshTestDatabase(testEnv().databaseUrl, 'adapterhost');
  const db = createDatabase({ url: own.url, applicationName: 'adapter-host-test', logger });
  return {
    db,
    async drop() {
      await db.close();
      await own.drop();
    },
  };
}

/** Deletes every key under a prefix (what a Redis that lost its data, or was emptied, looks like to the host). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

export const unique = (prefix: string) => `test.${prefix}.${randomUUID()}`;

export async function freshTopic(bus: Bus, prefix: string): Promise<string> {
  const name = unique(prefix);
  await bus.ensureTopics([{ name, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
  return name;
}

/** Collects every record of some topics from the beginning, for assertions. */
export async function collect(topics: string[], logger: Logger): Promise<{ records: IncomingRecord[]; events: (type: string) => CloudEvent[]; stop: () => Promise<void> }> {
  const consumer: TransportConsumer = createKafkajsTransport({ brokers: testEnv().brokers, clientId: 'adapter-host-test', logger }).consumer({ groupId: unique('collector') });
  const records: IncomingRecord[] = [];
  await consumer.connect();
  await consumer.subscribe(topics, true);
  await consumer.run(async (record) => void records.push(record));
  const events = (type: string) => records.map((r) => JSON.parse(String(r.value)) as CloudEvent).filter((e) => e.type === type);
  return { records, events, stop: () => consumer.disconnect() };
}


/** A fresh pseudonymous subject reference (the shape of the contracts' subjectRef). */
export const freshSubjectRef = () => `sr_${randomBytes(32).toString('base64url').slice(0, 43)}`;

/** A submitted and a routed event for a fresh referral, led by a Jyväskylä school service, with an NGO co-worker. */
export function referralEvents(subjectRef = freshSubjectRef()): { submitted: CloudEvent; routed: CloudEvent; referralId: string; subjectRef: string; routedAgain: (ruleId?: string) => CloudEvent } {
  const referralId = randomUUID();
  const correlationid = randomUUID();
  const submitted = createEvent('fi.polku.referral.submitted.v1', {
    source: '/polku/referral-api', subject: referralId, correlationid, id: correlationid, legalbasis: 'consent',
    data: { referralId, subjectRef, needCodes: ['school-attendance'], urgency: 'soon', municipalityCode: '179', ageBand: '13-15', language: 'fi', submitter: { organisationId: 'jyvaskyla-education', role: 'teacher' }, legalBasis: 'consent', submittedAt: new Date().toISOString() },
  });
  const routed = createEvent('fi.polku.referral.routed.v1', {
    source: '/polku/router', subject: referralId, correlationid, causationid: submitted.id,
    data: {
      referralId,
      lead: { organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education', sector: 'education' },
      coWorkers: [{ organisationId: 'mll-keski-suomi', serviceId: 'mll-family-support', sector: 'ngo' }],
      ruleId: 'attendance-13-17', viaCoordinator: false, routedAt: new Date().toISOString(),
    },
  });
  /** The router's next routed event for the same referral and plan (e.g. after consent was granted). */
  const routedAgain = (ruleId = 'consent-granted') => createEvent('fi.polku.referral.routed.v1', {
    source: '/polku/router', subject: referralId, correlationid, causationid: submitted.id,
    data: { ...(routed.data as Record<string, unknown>), ruleId, routedAt: new Date().toISOString() },
  });
  return { submitted, routed, referralId, subjectRef, routedAgain };
}
