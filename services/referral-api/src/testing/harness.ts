import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createBus, createKafkajsTransport, type Bus, type IncomingRecord } from '@polku/bus';
import { loadCatalogue } from '@polku/catalogue';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { startRelay } from '@polku/outbox';
import { parseVaultKeys, sqlVault, type Vault, type VaultKeyRing } from '@polku/personal-data';
import { createLogger, newSigningKey, parsePublicKeyring, parseSigningKey, personAssertionVerifier, sqlApiKeyStore, type CallerRole, type PublicKeyring } from '@polku/service-kit';
import { standInResidentEService, type StandInResidentEService } from '@polku/service-kit/stand-in-e-service';
import { buildApp } from '../app';
import type { RunningProjection } from '@polku/projection';
import { startDisclosureProjection } from '../disclosure/disclosure-projection';
import { startStatusProjection } from '../status/status-projection';
import { sqlStatusStore, type StatusStore } from '../status/status-store';
import { testConsent, type TestConsent } from './test-consent';
import { eventually } from '@polku/test-kit';

export { eventually };

/** The broker and PostgreSQL of the integration tests (the vitest global setup provides them). */
function testEnv(): { brokers: string[]; databaseUrl: string } {
  const brokers = process.env['KAFKA_BROKERS'];
  const databaseUrl = process.env['DATABASE_URL'];
  if (!brokers || !databaseUrl) throw new Error('referral-api integration tests need KAFKA_BROKERS and DATABASE_URL');
  return { brokers: brokers.split(','), databaseUrl };
}

/** Every line the app logs during a test file, for the check that nothing personal is written. */
export const logLines: string[] = [];
const logger = createLogger({ service: 'referral-api-test', level: 'info', destination: { write: (line: string) => void logLines.push(line) } });

export interface Harness {
  app: FastifyInstance;
  bus: Bus;
  /** A fresh referral topic of this test file, so reads see only its own events. */
  topic: string;
  /** A fresh delivery topic, for `delivery.succeeded`. */
  deliveryTopic: string;
  /** A fresh disclosure-log topic. */
  disclosureTopic: string;
  /** The public key of the key this file's API signs its disclosure-log entries with. */
  disclosureKeyring: PublicKeyring;
  /** The consent decisions: the real policy over records the test sets. */
  consent: TestConsent;
  /** This test file's own database: keys, idempotency, the vault and the outbox its relay publishes. */
  db: Database;
  vault: Vault;
  vaultKeys: VaultKeyRing;
  pseudonymKey: Buffer;
  statusStore: StatusStore;
  keys: Record<keyof typeof KEYS, string>;
  /** The stand-in resident e-service this app trusts: `assert` signs what `x-polku-person-assertion` carries. */
  eService: StandInResidentEService;
  /** How many records the fresh referral topic (or the one named) holds once the outbox has been published. */
  topicSize(name?: string): Promise<number>;
  /** Where key revocations are audited (a fresh topic). */
  operatorAuditTopic: string;
  /** Starts the status projection on the fresh topics, in this file's database. */
  startProjection(): Promise<RunningProjection>;
  /** Starts the disclosure-log projection on the fresh disclosure topic, in this file's database. */
  startDisclosureProjection(): Promise<RunningProjection>;
  close(): Promise<void>;
}

const KEYS = {
  school: { organisationId: 'jyvaskyla-education', roles: ['submitter', 'recipient'], services: ['jkl-basic-education'] },
  otherSchool: { organisationId: 'laukaa-education', roles: ['submitter', 'recipient'], services: ['laukaa-basic-education'] },
  operator: { organisationId: 'polku-operations', roles: ['operator'] },
  residentPortal: { organisationId: 'keski-suomen-hyvinvointialue', roles: ['resident'] },
  recipientOnly: { organisationId: 'mll-keski-suomi', roles: ['recipient'], services: ['mll-family-support'] },
  lead: { organisationId: 'keski-suomen-setlementti', roles: ['recipient'], services: ['setlementti-youth', 'setlementti-youth-services'] },
  childWelfare: { organisationId: 'keski-suomen-hyvinvointialue', roles: ['recipient'], services: ['ksh-child-welfare-jyvaskyla'] },
  /** A sibling service of child welfare in the same wellbeing area. */
  mentalHealth: { organisationId: 'keski-suomen-hyvinvointialue', roles: ['recipient'], services: ['ksh-child-youth-mental-health'] },
  residentView: { organisationId: 'keski-suomen-hyvinvointialue', roles: ['resident'] },
  auditor: { organisationId: 'polku-audit', roles: ['auditor'] },
} satisfies Record<string, { organisationId: string; roles: CallerRole[]; services?: string[] }>;

export async function startHarness(): Promise<Harness> {
  const { brokers, databaseUrl } = testEnv();
  // A database of the file's own: its relay publishes every outbox row it finds.
  const database = await freshTestDatabase(databaseUrl, 'referralapi');
  const db = createDatabase({ url: database.url, applicationName: 'referral-api-test', logger });
  const bus = createBus({ brokers, clientId: 'referral-api-test', logger });
  const topic = `test.referral-api.${randomUUID()}`;
  const deliveryTopic = `${topic}.delivery`;
  const disclosureTopic = `${topic}.disclosure`;
  const fresh = (name: string) => ({ name, partitions: 2, cleanupPolicy: 'delete', retentionMs: 3_600_000, keyedBy: 'referral id', deadLetter: { retentionMs: 3_600_000 } }) as const;
  const operatorAuditTopic = `${topic}.audit`;
  await bus.ensureTopics([fresh(topic), fresh(deliveryTopic), fresh(disclosureTopic), fresh(operatorAuditTopic)]);
  const vaultKeys = parseVaultKeys(`test:${randomBytes(32).toString('base64')}`);
  const vault = sqlVault(db, vaultKeys);
  const pseudonymKey = randomBytes(32);
  const statusStore = sqlStatusStore(db);
  const catalogue = await loadCatalogue();
  const consent = testConsent(catalogue);
  const signing = newSigningKey('referral-api-test');
  const disclosureSigningKey = parseSigningKey(signing.signingKey);
  const disclosureKeyring = parsePublicKeyring(signing.publicKey);
  const eService = await standInResidentEService();
  const auth = { personAssertions: personAssertionVerifier(eService.trust) };
  const app = await buildApp({ logger, db, vault, bus, catalogue, pseudonymKey, consent, publicUrl: 'http://api.test', referralTopic: topic, disclosureTopic, disclosureSigningKey, auth, operatorAuditTopic });
  const relay = startRelay({ db, bus, logger, pollMs: 100 });
  const store = sqlApiKeyStore(db);
  const keys = {} as Harness['keys'];
  for (const [name, key] of Object.entries(KEYS)) {
    keys[name as keyof typeof KEYS] = (await store.issue({ ...key, systemId: `test-${name.toLowerCase()}` })).key;
  }
  return {
    app, bus, db, vault, vaultKeys, eService, topic, deliveryTopic, disclosureTopic, operatorAuditTopic, disclosureKeyring, consent, pseudonymKey, statusStore, keys,
    // What the API commits reaches the topic through the outbox relay, a moment after the answer.
    topicSize: async (name = topic) => {
      await eventually(async () => ((await relay.backlog()) === 0 ? true : undefined), 'the outbox published');
      return topicSize(brokers, name);
    },
    // Details are due for erasure the moment a referral closes; they go when `vault.eraseDue` runs.
    startProjection: () => startStatusProjection({ db, bus, logger, topics: { referral: topic, delivery: deliveryTopic }, erasure: { vault, afterMs: 0 }, watchMs: 200 }),
    startDisclosureProjection: () => startDisclosureProjection({ db, bus, logger, topic: disclosureTopic, watchMs: 200 }),
    async close() {
      await app.close();
      await relay.stop();
      await bus.close();
      await db.close();
      await database.drop();
    },
  };
}

async function topicSize(brokers: string[], topic: string): Promise<number> {
  const admin = createKafkajsTransport({ brokers, clientId: 'referral-api-test-admin', logger }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every record on `topic` once there are at least `count`, read with a throwaway group. */
export async function readRecords(topic: string, count: number, timeoutMs = 20_000): Promise<IncomingRecord[]> {
  const consumer = createKafkajsTransport({ brokers: testEnv().brokers, clientId: 'referral-api-test-reader', logger }).consumer({ groupId: `test.reader.${randomUUID()}` });
  const records: IncomingRecord[] = [];
  await consumer.connect();
  await consumer.subscribe([topic], true);
  await consumer.run(async (record) => void records.push(record));
  try {
    await eventually(() => records.length >= count || undefined, `${count} records on ${topic}`, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

