import { createServer, type Server } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '@polku/db';
import { loadCatalogue } from '@polku/catalogue';
import { sqlVault } from '@polku/personal-data';
import { createLogger } from '@polku/service-kit';
import { buildApp } from '../../app';
import { teacherReferral } from '../../testing/fixtures';
import { startHarness, type Harness } from '../../testing/harness';

/**
 * The referral API in front of a database that has frozen: it accepts connections and never
 * answers (a stopped server gives a refusal at once, which is the easy case).
 */
describe('with the database unavailable', () => {
  let h: Harness;
  let frozen: Server;
  let db: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await startHarness();
    frozen = createServer(() => {});
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    const logger = createLogger({ service: 'referral-api-test', level: 'silent' });
    db = createDatabase({ url: `postgres://postgres@127.0.0.1:${(frozen.address() as { port: number }).port}/polku`, applicationName: 'test', logger, timeoutMs: 500 });
    app = await buildApp({
      logger, db, vault: sqlVault(db, h.vaultKeys), bus: h.bus, catalogue: await loadCatalogue(),
      pseudonymKey: h.pseudonymKey, consent: h.consent, publicUrl: 'http://api.test', referralTopic: h.topic, disclosureTopic: h.disclosureTopic,
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    frozen?.close();
    await h?.close();
  });

  it('answers intake 503 problem+json with Retry-After at its deadline, stores and publishes nothing, and never says "bad key"', async () => {
    const before = await h.topicSize();
    const started = Date.now();
    const answer = await app.inject({ method: 'POST', url: '/v1/referrals', payload: teacherReferral().body, headers: { 'x-api-key': h.keys.school } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(answer.headers['retry-after']).toBe('5');
    expect(answer.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    expect(await h.topicSize()).toBe(before);
  });

  it('says so in readiness, at once', async () => {
    const started = Date.now();
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'down', checks: { postgres: 'down' } });
  });
});
