import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from './http-app';
import { createLogger } from './logger';
import { sqlApiKeyStore, type KeyTable } from './api-keys';
import { registerApiKeyAuth, requireRole } from './auth';
import { RequestInvalid } from './problem';

const silent = createLogger({ service: 'test', level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
let pool: pg.Pool;
let app: FastifyInstance;
let submitterKey: string;
let operatorKey: string;

beforeAll(async () => {
  // The key table of the run's database, which the test setup migrated.
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL! });
  const store = sqlApiKeyStore(pool as unknown as KeyTable);
  submitterKey = (await store.issue({ organisationId: 'jkl-school', systemId: 'wilma', roles: ['submitter'] })).key;
  operatorKey = (await store.issue({ organisationId: 'polku-ops', systemId: 'console', roles: ['operator'] })).key;
  app = await createHttpApp({ logger: silent, title: 'test', version: '1', readiness: { postgres: async () => void (await pool.query('SELECT 1')) } });
  registerApiKeyAuth(app, store);
  app.post('/things', {
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'count'],
        properties: { name: { type: 'string', minLength: 1 }, count: { type: 'integer' }, code: { type: 'string' } },
      },
    },
  }, async (request) => {
    const body = request.body as { code?: string };
    if (body.code === 'unknown') throw new RequestInvalid([{ field: '/code', in: 'body', message: 'is not a known code' }]);
    return { by: request.caller.organisationId };
  });
  app.get('/ops', async (request) => {
    requireRole(request.caller, 'operator');
    return { ok: true };
  });
});

afterAll(async () => {
  await app.close();
  await pool.end();
});

describe('HTTP app', () => {
  it('answers 400 problem+json naming every failing field', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', headers: { 'x-api-key': submitterKey }, payload: { count: 'many', extra: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ type: 'urn:polku:problem:validation-failed', status: 400, code: 'VALIDATION_FAILED', instance: '/things' });
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/count', '/extra', '/name']);
  });

  it('reports a domain-level field problem the same way', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', headers: { 'x-api-key': submitterKey }, payload: { name: 'a', count: 1, code: 'unknown' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: '/code', in: 'body', message: 'is not a known code' }]);
  });

  it('says 401 without a valid key and 403 outside the caller\'s role', async () => {
    expect((await app.inject({ method: 'GET', url: '/ops' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/ops', headers: { 'x-api-key': 'pk_000000000000.' + 'x'.repeat(43) } })).statusCode).toBe(401);
    const forbidden = await app.inject({ method: 'GET', url: '/ops', headers: { 'x-api-key': submitterKey } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('FORBIDDEN');
    expect((await app.inject({ method: 'GET', url: '/ops', headers: { authorization: `Bearer ${operatorKey}` } })).statusCode).toBe(200);
  });

  it('serves health and the OpenAPI document without a key', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({ status: 'up', checks: { postgres: 'up' } });
    const docs = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.json().paths['/things']).toBeDefined();
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-api-key': submitterKey } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
