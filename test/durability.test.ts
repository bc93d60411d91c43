import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { TOPICS } from '@polku/contracts';
import { createDatabase, type Database } from '@polku/db';
import {
  createDatabaseIfMissing, destroyOwnPostgres, ensureKafkaBroker, ensurePostgres, freePort, loadInfraConfig, ownBrokerPid, stopKafkaBroker, stopOwnPostgres, withDatabase,
} from '@polku/infra';
import { parseIdentityCode, parseVaultKeys, sqlVault, subjectRefOf } from '@polku/personal-data';
import { createLogger } from '@polku/service-kit';
import { startBackbone, type RunningBackbone } from './backbone';
import { call } from './client';
import { runCommand } from './command';
import { consentBody, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually, testInfra } from './support';

const silent = () => {};
const logger = createLogger({ service: 'e2e-durability', level: 'silent' });

// The broker npm test started; a broker reached through KAFKA_BROKERS that Polku did not start is never stopped.
const brokerConfig = loadInfraConfig();
const brokerIsOurs = ownBrokerPid(brokerConfig) !== undefined && process.env.KAFKA_BROKERS === `127.0.0.1:${brokerConfig.kafkaPort}`;

/**
 * What must last, over the running services: the backbone runs on a PostgreSQL cluster of Polku's
 * own (started here, stopped and started again here, never the machine's) and on a Redis database
 * of its own (wiped here).
 */
describe('durable state, end to end', () => {
  let run: RunningBackbone;
  let postgres: ReturnType<typeof loadInfraConfig>;
  let databaseUrl: string;
  let db: Database;
  let redis: Redis;
  const accepted: Array<{ id: string; fixture: ReferralFixture }> = [];
  const api = () => run.backbone.urls.referralApi;

  beforeAll(async () => {
    postgres = loadInfraConfig({ POLKU_HOME: mkdtempSync(join(tmpdir(), 'polku-durability-')), POLKU_OWN_POSTGRES: '1', POLKU_POSTGRES_PORT: String(await freePort()) });
    databaseUrl = (await ensurePostgres(postgres, silent)).url;
    const redisUrl = new URL(testInfra().redisUrl);
    redisUrl.pathname = `/${10 + Math.floor(Math.random() * 6)}`; // not 9, the tests' own
    redis = new Redis(redisUrl.href);
    await redis.flushdb();
    // Deliveries keep trying for about a minute: these tests stop the referral API (where the school fetches details) for seconds at a time.
    // One referral API: the crash test kills the one that committed, and the restore test points it at another database.
    run = await startBackbone({ slaMs: 3_600_000, databaseUrl, redisUrl: redisUrl.href, instances: { referralApi: 1 }, adapterHost: { POLKU_DELIVERY_BACKOFF_MS: '200', POLKU_DELIVERY_BACKOFF_MAX_MS: '2000', POLKU_DELIVERY_ATTEMPTS: '40' } });
    db = createDatabase({ url: databaseUrl, applicationName: 'e2e-durability', logger });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
    await db?.close();
    await redis?.flushdb();
    redis?.disconnect();
    if (postgres) {
      await destroyOwnPostgres(postgres, silent);
      rmSync(postgres.stateDir, { recursive: true, force: true });
    }
  });

  async function submit(fixture: ReferralFixture, headers: Record<string, string> = {}) {
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }] }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    accepted.push({ id: answer.body.id, fixture });
    return answer.body.id as string;
  }

  const reaches = (id: string, type: string, timeoutMs = 60_000) => eventually(async () => {
    const answer = await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
    return answer.status === 200 && answer.body.timeline.some((entry: { type: string }) => entry.type === type) ? answer.body : undefined;
  }, `${type} in the timeline of ${id}`, timeoutMs);

  it('loses no vault record and no key when Redis is wiped', async () => {
    const ids = [await submit(learningSupportReferral()), await submit(learningSupportReferral())];
    for (const id of ids) await reaches(id, 'delivered');
    await redis.flushdb();

    // The keys live in PostgreSQL: the school's key still authenticates, and intake still takes referrals.
    const after = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: learningSupportReferral().body });
    expect(after.status).toBe(202);
    expect((await call('GET', `${api()}/v1/referrals/${ids[0]}`, { key: 'pk_aaaaaaaaaaaa.' + 'b'.repeat(43) })).status).toBe(401);
    expect((await call('GET', `${api()}/v1/referrals/${ids[0]}`, { key: run.keys.school })).status).not.toBe(401);
    // Every vault record is there and opens with the configured key.
    const vault = sqlVault(db, parseVaultKeys(run.secrets.vaultKeys));
    for (const { id, fixture } of accepted) {
      const read = await vault.get<{ child: { lastName: string } }>(id);
      expect(read?.state === 'present' ? read.details.child.lastName : undefined).toBe((fixture.body.child as { lastName: string }).lastName);
    }
  });

  it('answers intake 503 problem+json with Retry-After at once while PostgreSQL is stopped, and 202 again once it is back', async () => {
    await stopOwnPostgres(postgres, silent, 'immediate');
    try {
      const started = Date.now();
      const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: learningSupportReferral().body, signal: AbortSignal.timeout(10_000) });
      const seconds = (Date.now() - started) / 1000;
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
      expect(seconds).toBeLessThan(5);
    } finally {
      await ensurePostgres(postgres, silent);
    }
    await eventually(async () => ((await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: learningSupportReferral().body })).status === 202 ? true : undefined), 'intake back after PostgreSQL returned', 30_000);
  });

  it('leaves exactly one referral when the referral API dies between commit and answer, and the retry gets its answer', async () => {
    await run.backbone.processes.referralApi.stop();
    await run.backbone.restart('referralApi', { POLKU_FAULT_CRASH_AFTER_INTAKE_COMMIT: '1' });
    const fixture = learningSupportReferral();
    const headers = { 'idempotency-key': `crash-${Date.now()}` };
    await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: 'jyvaskyla-education' }] }) });
    // The connection drops: the referral API committed, then died before it could answer.
    await expect(call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers })).rejects.toThrow();
    await run.backbone.processes.referralApi.kill();
    await run.backbone.restart('referralApi', { POLKU_FAULT_CRASH_AFTER_INTAKE_COMMIT: '0' });

    const retry = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    await reaches(retry.body.id, 'delivered');
    const subjectRef = subjectRefOf(parseIdentityCode(identityCodeOf(fixture))!.normalised, Buffer.from(run.secrets.pseudonymKey, 'base64'));
    const submitted = (await run.readTopics([TOPICS.referral])).filter((r) => r.event?.type === 'fi.polku.referral.submitted.v1' && r.event.data['subjectRef'] === subjectRef);
    expect(submitted.map((r) => r.event!.subject)).toEqual([retry.body.id]);
  });

  it('restores a pg_dump into a fresh database that the services answer from as before', async () => {
    const id = await submit(learningSupportReferral());
    await reaches(id, 'delivered');
    const before = await call('GET', `${api()}/v1/referrals/${id}/details`, { key: run.keys.school });
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    const dump = join(postgres.stateDir, 'polku.dump');
    // The documented procedure (docs/operations.md): a custom-format dump, restored into a new database.
    const dumped = await runCommand('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${databaseUrl}`]);
    expect(dumped.status, dumped.stderr).toBe(0);
    await createDatabaseIfMissing(databaseUrl, 'polku_restored');
    const restored = withDatabase(databaseUrl, 'polku_restored');
    const restore = await runCommand('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restored}`, dump]);
    expect(restore.status, restore.stderr).toBe(0);

    await run.backbone.processes.referralApi.stop();
    await run.backbone.restart('referralApi', { DATABASE_URL: restored });
    const after = await call('GET', `${api()}/v1/referrals/${id}/details`, { key: run.keys.school });
    expect(after.status).toBe(200);
    expect(after.body.details).toEqual(before.body.details);
    expect((await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: learningSupportReferral().body })).status).toBe(202);
    await run.backbone.processes.referralApi.stop();
    await run.backbone.restart('referralApi', { DATABASE_URL: databaseUrl });
  });

  it.skipIf(!brokerIsOurs)('accepts a referral while the broker is stopped, and delivers it once the broker is back', async () => {
    const fixture = learningSupportReferral();
    await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: 'jyvaskyla-education' }] }) });
    await eventually(async () => (await db.query("SELECT 1 FROM outbox WHERE sent_at IS NULL")).rowCount === 0 || undefined, 'the outbox empty');
    await stopKafkaBroker(brokerConfig, silent);
    let id: string;
    try {
      const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body });
      expect(answer.status).toBe(202);
      id = answer.body.id;
      const { rows } = await db.query<{ sent_at: Date | null }>("SELECT sent_at FROM outbox WHERE event ->> 'subject' = $1", [id]);
      expect(rows).toEqual([{ sent_at: null }]);
    } finally {
      await ensureKafkaBroker(brokerConfig, silent);
    }
    await reaches(id!, 'delivered', 90_000);
  }, 180_000);
});
