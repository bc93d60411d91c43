import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from './http-app';
import { createLogger } from './logger';
import { sqlApiKeyStore, type KeyTable } from './api-keys';
import { registerApiKeyAuth } from './auth';
import type { AuthFailureLimit } from './auth-failure-limit';

const BAD_KEY = 'pk_aaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
let pool: pg.Pool;
let goodKey: string;
const apps: FastifyInstance[] = [];

async function appWith(limit: AuthFailureLimit, lines: string[] = []): Promise<FastifyInstance> {
  const logger = createLogger({ service: 'test', level: 'warn', destination: new Writable({ write: (chunk, _e, done) => { lines.push(String(chunk)); done(); } }) });
  const app = await createHttpApp({ logger, title: 'test', version: '1' });
  registerApiKeyAuth(app, sqlApiKeyStore(pool as unknown as KeyTable), { failureLimit: limit });
  app.get('/who', async (request) => ({ by: request.caller.organisationId }));
  apps.push(app);
  return app;
}

const get = (app: FastifyInstance, key: string, remoteAddress = '192.0.2.10') => app.inject({ method: 'GET', url: '/who', headers: { 'x-api-key': key }, remoteAddress });

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL! });
  goodKey = (await sqlApiKeyStore(pool as unknown as KeyTable).issue({ organisationId: 'jkl-school', systemId: 'wilma', roles: ['submitter'] })).key;
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await pool.end();
});

describe('the limit of failed authentications (Redis)', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';

  it('turns a client away with 429 after its failures, counting only failures, and leaves other clients alone', async () => {
    const app = await appWith({ redisUrl, max: 3, keyPrefix: `test-${randomUUID()}:` });
    for (let i = 0; i < 10; i += 1) expect((await get(app, goodKey)).statusCode).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await get(app, BAD_KEY)).json().code).toBe('NOT_AUTHENTICATED');
    const limited = await get(app, goodKey);
    expect([limited.statusCode, limited.json().code]).toEqual([429, 'TOO_MANY_AUTH_FAILURES']);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get(app, goodKey, '192.0.2.11')).statusCode).toBe(200);
  });

  it('is shared by every instance of a service through Redis', async () => {
    const keyPrefix = `test-${randomUUID()}:`;
    const [one, two] = [await appWith({ redisUrl, max: 2, keyPrefix }), await appWith({ redisUrl, max: 2, keyPrefix })];
    expect((await get(one, BAD_KEY)).statusCode).toBe(401);
    expect((await get(two, BAD_KEY)).statusCode).toBe(401);
    expect((await get(one, goodKey)).statusCode).toBe(429);
  });

  it('fails open with a warning when Redis is away', async () => {
    const lines: string[] = [];
    const app = await appWith({ redisUrl: 'redis://127.0.0.1:1', max: 1, redisTimeoutMs: 200 }, lines);
    for (let i = 0; i < 3; i += 1) expect((await get(app, BAD_KEY)).statusCode).toBe(401);
    expect((await get(app, goodKey)).statusCode).toBe(200);
    expect(lines.some((line) => line.includes('auth failure limit not applied'))).toBe(true);
  });
});
