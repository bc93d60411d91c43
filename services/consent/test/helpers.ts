import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createBus, type Bus } from '@polku/bus';
import { loadCatalogue, type Catalogue } from '@polku/catalogue';
import type { CloudEvent } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { startRelay, type Relay } from '@polku/outbox';
import { createLogger, sqlApiKeyStore, type CallerRole } from '@polku/service-kit';
import { disclosureLog } from '@polku/disclosure-log';
import { personAssertionVerifier } from '@polku/service-kit';
import { standInResidentEService, type StandInResidentEService } from '@polku/service-kit/stand-in-e-service';
import { buildApp } from '../src/app';
import { startReferralRoutesProjection } from '../src/projection/referral-routes';
import { startConsent, type RunningConsent } from '../src/start-consent';
import { uniqueChildIdentityCode } from '@polku/test-kit';

export { eventually } from '@polku/test-kit';

export const logger = createLogger({ service: 'consent-test', level: process.env['LOG_LEVEL'] ?? 'silent' });

export function unique(name: string): string {
  return `test.consent.${name}.${randomUUID()}`;
}

/** Everything one test file shares: a bus, a database of its own with its outbox relay, the two Redis connections, the catalogue, API keys. */
export interface Harness {
  bus: Bus;
  db: Database;
  redis: Redis;
  queueConnection: Redis;
  catalogue: Catalogue;
  pseudonymKey: Buffer;
  keys: { recorder: string; operator: string; resident: string; familyCentre: string; ngo: string };
  /** A stand-in resident e-service the instances trust. */
  eService: StandInResidentEService;
  /** Fresh topics of the file's own: the referral topic the routes projection reads, and the disclosure log. */
  referralTopic: string;
  disclosureTopic: string;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const brokers = process.env['KAFKA_BROKERS'];
  const redisUrl = process.env['REDIS_URL'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (!brokers || !redisUrl || !databaseUrl) throw new Error('consent integration tests need KAFKA_BROKERS, REDIS_URL and DATABASE_URL (the vitest global setup sets them)');
  const redis = new Redis(redisUrl);
  const queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const bus = createBus({ brokers: brokers.split(','), clientId: 'consent-test', logger });
  // A database of the file's own: its relay publishes every outbox row it finds.
  const database = await freshTestDatabase(databaseUrl, 'consent');
  const db = createDatabase({ url: database.url, applicationName: 'consent-test', logger });
  const relay: Relay = startRelay({ db, bus, logger, pollMs: 100 });
  const store = sqlApiKeyStore(db);
  const issue = async (roles: CallerRole[], organisationId = 'jyvaskyla-education', services: string[] = []) => store.issue({ organisationId, systemId: 'test-system', roles, services });
  const issued = await Promise.all([
    issue(['submitter'], 'jyvaskyla-education', ['jkl-basic-education']), issue(['operator'], 'polku-backbone'), issue(['resident'], 'resident-portal'),
    issue(['recipient'], 'keski-suomen-hyvinvointialue', ['ksh-family-centre-jyvaskyla']), issue(['recipient'], 'mll-keski-suomi', ['mll-family-support']),
  ]);
  const [recorder, operator, resident, familyCentre, ngo] = issued.map((i) => i.key) as [string, string, string, string, string];
  const referralTopic = unique('referrals');
  const disclosureTopic = unique('disclosures');
  await bus.ensureTopics([referralTopic, disclosureTopic].map((name) => ({ name, partitions: 3, cleanupPolicy: 'delete' as const, retentionMs: 3_600_000, keyedBy: 'test', deadLetter: { retentionMs: 3_600_000 } })));
  return {
    bus, db, redis, queueConnection,
    catalogue: await loadCatalogue(),
    pseudonymKey: randomBytes(32),
    keys: { recorder, operator, resident, familyCentre, ngo },
    eService: await standInResidentEService(),
    referralTopic, disclosureTopic,
    async close() {
      await relay.stop();
      await bus.close();
      await Promise.all([redis.quit(), queueConnection.quit()]);
      await db.close();
      await database.drop();
    },
  };
}

/** A fresh compacted topic shaped like the real consent topic, so no other test sees these events. */
export async function freshTopic(bus: Bus): Promise<string> {
  const name = unique('consents');
  await bus.ensureTopics([{ name, partitions: 3, cleanupPolicy: 'compact', retentionMs: -1, keyedBy: 'consent id', deadLetter: { retentionMs: 3_600_000 } }]);
  return name;
}

export interface Instance {
  consent: RunningConsent;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** The service as server.ts wires it, on a test topic, a projection name and a queue prefix of the test's own. */
export async function startInstance(h: Harness, at: { topic: string; projectionName: string; queuePrefix: string }): Promise<Instance> {
  const consent = await startConsent({ bus: h.bus, db: h.db, queueConnection: h.queueConnection, logger, ...at });
  const routes = await startReferralRoutesProjection({ db: h.db, bus: h.bus, topic: h.referralTopic, logger, name: `${at.projectionName}-routes` });
  const app = await buildApp({
    logger, db: h.db, ledger: consent.ledger, store: consent.store, catalogue: h.catalogue, pseudonymKey: h.pseudonymKey,
    publicUrl: 'http://consent.test', policyUrl: 'http://consent.test/privacy', now: () => new Date(), readiness: {},
    disclosureLog: disclosureLog({ topic: h.disclosureTopic, writer: 'consent' }), referralRoutes: true,
    auth: { personAssertions: personAssertionVerifier(h.eService.trust) },
  });
  return {
    consent, app,
    async stop() {
      await app.close();
      await routes.stop();
      await consent.stop();
    },
  };
}

/** Every event on a topic, as a reader with no dedupe sees them. */
export async function recordTopic(bus: Bus, topic: string): Promise<CloudEvent[]> {
  const seen: CloudEvent[] = [];
  await bus.consume({ groupId: unique('reader'), topics: [topic], fromBeginning: true, handler: async (event) => void seen.push(event) });
  return seen;
}

/** Removes every key under a test prefix from the shared Redis. */
export async function dropKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let dropped = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) dropped += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return dropped;
}

/** A 13-year-old's synthetic code (individual number 900–999), a different child every call. */
export const childCode = (): string => uniqueChildIdentityCode(new Date().getUTCFullYear() - 13);

/** A permission body: the guardian permits the family centre, for guidance, for a year. */
export function permissionBody(identityCode: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: { identityCode },
    grantor: { role: 'guardian' },
    disclosers: [{ organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' }],
    recipients: [{ organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-family-centre-jyvaskyla' }],
    dataCategories: ['contact', 'need-description'],
    purposes: ['guidance'],
    legalFramework: '703/2023',
    validUntil: new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString(),
    form: 'written',
    recordedBy: { professionalRef: 'u-48213' },
    evidenceRef: 'wilma:form:88213',
    ...overrides,
  };
}

export const FAMILY_CENTRE = { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-family-centre-jyvaskyla' };

export function decisionBody(subjectRef: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { subjectRef, recipient: FAMILY_CENTRE, dataCategories: ['contact'], purpose: 'guidance', ...overrides };
}
