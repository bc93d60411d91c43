import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort, freezeProcess, loadInfraConfig, ownBrokerPid, thawProcess } from '@polku/infra';
import { startBackbone, type RunningBackbone } from './backbone';
import { call } from './client';
import { runCommand } from './command';
import { consentBody, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually } from './support';

const SLA_MS = 12_000;
const brokerConfig = loadInfraConfig();
const brokerPid = ownBrokerPid(brokerConfig);
const brokerIsOurs = brokerPid !== undefined && process.env.KAFKA_BROKERS === `127.0.0.1:${brokerConfig.kafkaPort}`;

/**
 * State that rebuilds itself, over the running services: Redis holds queues only (emptied here
 * with FLUSHALL, on a redis-server of this test's own with an append-only file, as Polku's own
 * is), the read models are projections that replay the topics, and nothing hangs while the broker
 * is frozen.
 */
describe('state that rebuilds itself, end to end', () => {
  let run: RunningBackbone;
  let redisServer: ChildProcess;
  let redis: Redis;
  let redisDir: string;
  const api = () => run.backbone.urls.referralApi;

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'polku-e2e-redis-'));
    const port = await freePort();
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', redisDir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    redis = new Redis(`redis://127.0.0.1:${port}`);
    redis.on('error', () => {}); // refused until the server is up; ioredis reconnects
    await eventually(async () => ((await redis.ping().catch(() => undefined)) === 'PONG' ? true : undefined), 'the test Redis');
    // Timers and deliveries keep trying for a while: the flush lands in the middle of both.
    run = await startBackbone({ slaMs: SLA_MS, redisUrl: `redis://127.0.0.1:${port}`, adapterHost: { POLKU_DELIVERY_BACKOFF_MS: '300', POLKU_DELIVERY_BACKOFF_MAX_MS: '1500', POLKU_DELIVERY_ATTEMPTS: '40' } });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
    redis?.disconnect();
    redisServer?.kill('SIGKILL');
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  });

  async function submit(fixture: ReferralFixture): Promise<string> {
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }] }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    return answer.body.id as string;
  }

  const status = (id: string) => call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
  const reaches = (id: string, type: string, timeoutMs = 60_000) => eventually(async () => {
    const answer = await status(id);
    return answer.status === 200 && answer.body.timeline.some((entry: { type: string }) => entry.type === type) ? answer.body : undefined;
  }, `${type} in the timeline of ${id}`, timeoutMs);
  const schoolDeliveries = async (id: string): Promise<Array<{ idempotencyKey: string }>> =>
    (await call('GET', `${run.backbone.urls.school}/_stub/deliveries`)).body.deliveries.filter((d: { referralId: string }) => d.referralId === id);

  it('loses no referral, timer or pending delivery when Redis is emptied while everything runs, and takes a burst after', async () => {
    // Deliveries still being retried when the flush comes: the school answers 503 for a while.
    await call('POST', `${run.backbone.urls.school}/_stub/script`, { body: { answers: Array.from({ length: 30 }, () => ({ status: 503 })) } });
    const before = await Promise.all(Array.from({ length: 6 }, () => submit(learningSupportReferral())));
    for (const id of before) await reaches(id, 'routed');
    const flushedAt = Date.now();
    expect(await redis.flushall()).toBe('OK');

    const after = await Promise.all(Array.from({ length: 20 }, () => submit(learningSupportReferral())));
    for (const id of [...before, ...after]) await reaches(id, 'delivered', 90_000);
    // The deadlines set before the flush still fire (nobody accepts these referrals).
    for (const id of before) {
      const breached = await reaches(id, 'sla-breached', 60_000);
      expect(Date.parse(breached.timeline.find((e: { type: string }) => e.type === 'sla-breached').at)).toBeGreaterThan(flushedAt - SLA_MS);
    }
    // Each referral reached the school once: one idempotency key each, however many attempts.
    for (const id of [...before, ...after]) expect(new Set((await schoolDeliveries(id)).map((d) => d.idempotencyKey)).size).toBe(1);
  }, 240_000);

  it('rebuilds an emptied projection to the same answers while everything runs', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => submit(learningSupportReferral())));
    // Closed referrals are final: an SLA breach firing during the rebuild (12 s after routing, and
    // a slow machine's rebuild can take longer) would change the answers it is compared with.
    const act = async (id: string, action: 'accept' | 'close', outcome: string) => {
      const acted = await call('POST', `${run.backbone.urls.school}/_stub/referrals/${id}/act`, { body: { action } });
      expect(acted.status, JSON.stringify(acted.body)).toBeLessThan(300);
      await reaches(id, outcome);
    };
    await Promise.all(ids.map(async (id) => {
      await reaches(id, 'delivered');
      await act(id, 'accept', 'accepted');
      await act(id, 'close', 'closed');
    }));
    const before = await Promise.all(ids.map(async (id) => (await status(id)).body));
    const rebuilt = await runCommand(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts', 'referral-status'], { cwd: resolve(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: run.databaseUrl } });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    let now: unknown[] = [];
    // On a timeout, the diff of the last answers says what the rebuild got wrong.
    await eventually(async () => {
      now = await Promise.all(ids.map(async (id) => (await status(id)).body));
      return JSON.stringify(now) === JSON.stringify(before) || undefined;
    }, 'the same answers after the rebuild', 60_000).catch(() => expect(now).toEqual(before));
  }, 120_000);

  it.skipIf(!brokerIsOurs)('answers readiness at once while the broker is frozen, saying Kafka is down, and takes intake durably meanwhile', async () => {
    const fixture = learningSupportReferral();
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: 'jyvaskyla-education' }] }) });
    expect(consent.status).toBe(201);
    await freezeProcess(brokerPid!);
    let id: string;
    try {
      for (const name of ['referralApi', 'router', 'consent', 'adapterHost'] as const) {
        const started = Date.now();
        const ready = await call('GET', `${run.backbone.urls[name]}/health/ready`, { signal: AbortSignal.timeout(5000) });
        expect(Date.now() - started, `${name} readiness`).toBeLessThan(3000);
        expect(ready.status, name).toBe(503);
        expect(ready.body.checks.kafka, name).toBe('down');
      }
      // Nothing that takes work waits on Kafka: intake and consent recording commit to the outbox.
      const started = Date.now();
      const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, signal: AbortSignal.timeout(10_000) });
      expect(answer.status).toBe(202);
      expect(Date.now() - started).toBeLessThan(3000);
      id = answer.body.id;
      const ban = await call('POST', `${run.backbone.urls.consent}/v1/bans`, { key: run.keys.school, body: consentBody(identityCodeOf(learningSupportReferral()), { recipients: [{ sector: 'parish' }] }), signal: AbortSignal.timeout(10_000) });
      expect(ban.status).toBe(201);
    } finally {
      thawProcess(brokerPid!);
    }
    await reaches(id!, 'delivered', 90_000);
    for (const name of ['referralApi', 'router', 'consent', 'adapterHost'] as const) {
      await eventually(async () => ((await call('GET', `${run.backbone.urls[name]}/health/ready`)).status === 200 ? true : undefined), `${name} ready again`, 60_000);
    }
  }, 180_000);
});
