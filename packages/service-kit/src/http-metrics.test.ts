import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from './http-app';
import { createLogger } from './logger';
import { sqlApiKeyStore, type KeyTable } from './api-keys';
import { registerApiKeyAuth } from './auth';

const silent = createLogger({ service: 'test', level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
let pool: pg.Pool;
let apps: FastifyInstance[];
const referralId = '0b7f1d62-3c9a-4d57-9a55-0d2b1e0c9f11';

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL! });
  const store = sqlApiKeyStore(pool as unknown as KeyTable);
  // Two apps in one process, as tests build them: the second must not register the metrics again.
  apps = await Promise.all([1, 2].map(async () => {
    const app = await createHttpApp({ logger: silent, title: 'test', version: '1' });
    registerApiKeyAuth(app, store);
    app.get('/v1/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    return app;
  }));
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await pool.end();
});

describe('metrics of every app', () => {
  it('serves Prometheus text at /metrics without a key', async () => {
    const answer = await apps[1]!.inject({ method: 'GET', url: '/metrics' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(answer.body).toContain('# TYPE polku_http_requests_total counter');
  });

  it('labels requests with the route pattern, never the id in the URL', async () => {
    await apps[0]!.inject({ method: 'GET', url: `/v1/things/${referralId}` });
    // No route: refused before routing (no key), and labelled unmatched, not by its URL.
    await apps[0]!.inject({ method: 'GET', url: `/v1/nothing-here/${referralId}` });
    const text = (await apps[0]!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain(referralId);
    const requests = text.split('\n').filter((line) => line.startsWith('polku_http_requests_total{'));
    expect(requests).toContainEqual(expect.stringMatching(/method="GET",route="\/v1\/things\/:id",status="401"/));
    expect(requests).toContainEqual(expect.stringMatching(/method="GET",route="unmatched",status="401"/));
    expect(text).toMatch(/polku_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/things\/:id",status="401"\}/);
  });

  it('is not in the OpenAPI document (like /health)', async () => {
    const doc = (await apps[0]!.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});
