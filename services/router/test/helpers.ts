import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { startRelay } from '@polku/outbox';
import { createBus, type Bus, type TopicDefinition } from '@polku/bus';
import { loadCatalogue, type Catalogue } from '@polku/catalogue';
import { createEvent, type CloudEvent, type ReferralSubmittedV1 } from '@polku/contracts';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { createLogger } from '@polku/service-kit';
import { loadRules } from '../src/domain/load-rules';
import type { RoutingRules } from '../src/domain/rules';
import type { TimingSettings } from '../src/router-context';
import { startRouter, type RouterDeps, type RunningRouter } from '../src/start-router';
export { eventually } from '@polku/test-kit';

export const logger = createLogger({ service: 'router-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

/** The broker and Redis of the vitest global setup (or the environment). */
export function testEnv(): { kafkaBrokers: string[]; redisUrl: string; databaseUrl: string } {
  const brokers = process.env['KAFKA_BROKERS'];
  const redisUrl = process.env['REDIS_URL'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (!brokers || !redisUrl || !databaseUrl) throw new Error('router integration tests need KAFKA_BROKERS, REDIS_URL and DATABASE_URL (the vitest global setup sets them)');
  return { kafkaBrokers: brokers.split(','), redisUrl, databaseUrl };
}

export function unique(name: string): string {
  return `test.router.${name}.${randomUUID()}`;
}

/** Everything one test file shares: a bus, a database of its own with its outbox relay, the two Redis connections, the shipped setup files. */
export interface Harness {
  bus: Bus;
  db: Database;
  /** The database's URL, for a router in another process (test/router-process.ts). */
  databaseUrl: string;
  redis: Redis;
  queueConnection: Redis;
  catalogue: Catalogue;
  rules: RoutingRules;
  close(): Promise<void>;
}

/**
 * `databaseUrl`: use that database (made by another harness, which drops it) instead of a fresh one.
 * Either way the harness runs an outbox relay on it, as every router process does.
 */
export async function openHarness(options: { databaseUrl?: string } = {}): Promise<Harness> {
  const env = testEnv();
  const redis = new Redis(env.redisUrl);
  const queueConnection = new Redis(env.redisUrl, { maxRetriesPerRequest: null });
  const bus = createBus({ brokers: env.kafkaBrokers, clientId: 'router-test', logger });
  // A database of the file's own: the router's memory, its outbox (and an in-process consent service's), API keys.
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => {} } : await freshTestDatabase(env.databaseUrl, 'router');
  const db = createDatabase({ url: database.url, applicationName: 'router-test', logger });
  const relay = startRelay({ db, bus, logger, pollMs: 100 });
  const [catalogue, rules] = await Promise.all([loadCatalogue(), loadRules()]);
  return {
    bus, db, databaseUrl: database.url, redis, queueConnection, catalogue, rules,
    async close() {
      await relay.stop();
      await bus.close();
      await Promise.all([redis.quit(), queueConnection.quit()]);
      await db.close();
      await database.drop();
    },
  };
}

/**
 * Creates test topics and waits until the broker serves them. kafkajs' `createTopics` waits for
 * leaders but fails when the broker's metadata does not know the new topic yet ("This server does
 * not host this topic-partition", tulios/kafkajs#815), which topics created at the same moment by
 * concurrent tests hit now and then: the topic exists by then, so asking again settles it.
 */
async function ensureTestTopics(bus: Bus, definitions: TopicDefinition[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bus.ensureTopics(definitions);
      const admin = await bus.admin();
      for (const { name } of definitions) await admin.fetchTopicOffsets(name);
      return;
    } catch (error) {
      if (attempt >= 20 || (error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
      await sleep(100);
    }
  }
}

/** A fresh one-partition topic (and its .dlq), so no other test or service sees these events. */
export async function freshTopic(bus: Bus, partitions = 1): Promise<string> {
  const name = unique('referrals');
  await ensureTestTopics(bus, [{ name, partitions, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }]);
  return name;
}

/** A fresh consent topic shaped like the real one (compacted, keyed by consent id). */
export async function freshConsentTopic(bus: Bus): Promise<string> {
  const name = unique('consents');
  await ensureTestTopics(bus, [{ name, partitions: 3, cleanupPolicy: 'compact', retentionMs: -1, keyedBy: 'consent id', deadLetter: { retentionMs: 3_600_000 } }]);
  return name;
}

/** A consent topic nothing publishes to, for routers whose tests are not about consent. */
const IDLE_CONSENT_TOPIC = 'test.router.consents.idle';

/**
 * For tests that are not about consent: every recipient is covered, by a consent (so the gate is
 * still asked, and a referral's route and deadline are as before the gate).
 */
export const allowEverything: ConsentDecider = {
  async decide(question) {
    return { allowed: true, basis: { kind: 'consent', consentIds: ['test-consent'] }, dataCategories: [...question.dataCategories] };
  },
};

/** A subject reference of the right shape (tests only: not a keyed hash of anything). */
export const randomSubjectRef = (): string => `sr_${randomBytes(32).toString('base64url')}`;

/** A router on a test topic, with its own projection (consumer group) and queue prefix unless given. */
export async function startTestRouter(
  h: Harness,
  at: {
    topic: string; queuePrefix: string;
    /** The projection's name, which names its consumer group. @defaultValue a fresh one */
    groupId?: string;
    timing?: Partial<TimingSettings>; partitionConcurrency?: number;
    /** @defaultValue {@link allowEverything} */
    consent?: ConsentDecider;
    /** @defaultValue an idle topic */
    consentTopic?: string;
    /** How often the projection looks for a rebuild. @defaultValue 200 */
    watchMs?: number;
    adoptGroups?: RouterDeps['adoptGroups'];
    /** @defaultValue the system clock */
    now?: () => Date;
  },
): Promise<RunningRouter> {
  const groupId = at.groupId ?? unique('router');
  if (!at.consentTopic) {
    await ensureTestTopics(h.bus, [{ name: IDLE_CONSENT_TOPIC, partitions: 1, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'consent id', deadLetter: { retentionMs: 3_600_000 } }]);
  }
  return startRouter({
    db: h.db, bus: h.bus, queueConnection: h.queueConnection, catalogue: h.catalogue, rules: h.rules, logger,
    consent: at.consent ?? allowEverything,
    consentTopic: at.consentTopic ?? IDLE_CONSENT_TOPIC,
    topic: at.topic,
    projectionName: groupId,
    queuePrefix: at.queuePrefix,
    partitionConcurrency: at.partitionConcurrency ?? 1,
    watchMs: at.watchMs ?? 200,
    timing: { followUpMonths: 3, ...at.timing },
    ...(at.adoptGroups ? { adoptGroups: at.adoptGroups } : {}),
    ...(at.now ? { now: at.now } : {}),
  });
}

/** Every event on a topic, as a reader with no dedupe sees them (so a duplicate record would show). */
export async function recordTopic(bus: Bus, topic: string): Promise<CloudEvent[]> {
  const seen: CloudEvent[] = [];
  await bus.consume({ groupId: unique('reader'), topics: [topic], fromBeginning: true, handler: async (event) => void seen.push(event) });
  return seen;
}

/** The events of one type about one referral; typed by the caller (the bus validated them on consume). */
export function ofType<T = Record<string, unknown>>(events: CloudEvent[], verb: string, referralId: string): CloudEvent<T>[] {
  return events.filter((e) => e.type === `fi.polku.referral.${verb}.v1` && e.subject === referralId) as unknown as CloudEvent<T>[];
}

export function submitted(data: Partial<ReferralSubmittedV1> = {}): CloudEvent<ReferralSubmittedV1> {
  const referralId = randomUUID();
  return createEvent<ReferralSubmittedV1>('fi.polku.referral.submitted.v1', {
    source: '/polku/referral-api',
    subject: referralId,
    correlationid: randomUUID(),
    legalbasis: data.legalBasis ?? 'consent',
    data: {
      referralId,
      subjectRef: randomSubjectRef(),
      needCodes: ['school-attendance', 'mental-health'],
      urgency: 'soon',
      municipalityCode: '179',
      ageBand: '13-15',
      language: 'fi',
      submitter: { organisationId: 'jyvaskyla-education', role: 'school-social-worker' },
      legalBasis: 'consent',
      submittedAt: new Date().toISOString(),
      ...data,
    },
  });
}

/** A lifecycle event by a sector system about a referral, caused by `cause`. */
export function lifecycle<T>(verb: string, cause: Pick<CloudEvent<unknown>, 'id' | 'subject' | 'correlationid'>, data: T): CloudEvent<T> {
  return createEvent<T>(`fi.polku.referral.${verb}.v1`, {
    source: '/org/wellbeing-keski-suomi/apotti',
    subject: cause.subject,
    correlationid: cause.correlationid ?? cause.id,
    causationid: cause.id,
    data,
  });
}


export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Removes a test's BullMQ keys from the shared Redis. */
export async function dropQueueKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Publishes a typed event (the bus takes untyped data and validates it against the schema). */
export function publish<T>(bus: Bus, topic: string, event: CloudEvent<T>): Promise<void> {
  return bus.publish(topic, event as unknown as CloudEvent);
}

/** Whether a router's projection has handled an event (in the transaction that applied it). */
export async function handled(db: Database, router: RunningRouter, eventId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM projection_handled WHERE projection = $1 AND event_id = $2', [router.projection.name, eventId]);
  return rows.length > 0;
}

/** The router's memory as its tables hold it: every referral's record and whether it is routed, and who waits. */
export async function memorySnapshot(db: Database, referralIds?: readonly string[]) {
  const filter = referralIds ? 'WHERE referral_id = ANY($1::uuid[])' : '';
  const values = referralIds ? [referralIds] : [];
  const referrals = await db.query<{ referral_id: string; record: unknown; routed: boolean }>(`SELECT referral_id, record, routed FROM router_referrals ${filter} ORDER BY referral_id`, values);
  const waiting = await db.query<{ referral_id: string; party_key: string; party: unknown; subject_ref: string }>(`SELECT referral_id, party_key, party, subject_ref FROM router_waiting ${filter} ORDER BY referral_id, party_key`, values);
  return { referrals: referrals.rows, waiting: waiting.rows };
}

/** Rows the router has written to the outbox (published or not). */
export async function outboxCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE event ->> 'source' = '/polku/router'");
  return Number(rows[0]!.n);
}
