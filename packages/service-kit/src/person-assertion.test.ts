import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from './http-app';
import { createLogger } from './logger';
import { sqlApiKeyStore, type KeyTable } from './api-keys';
import { registerApiKeyAuth, requirePerson } from './auth';
import { personAssertionVerifier, PERSON_ASSERTION_HEADER } from './person-assertion';
import { standInResidentEService, type StandInResidentEService } from './stand-in-e-service';

// Synthetic identity codes (individual numbers 900–999, valid check characters). Literals: this
// package sits below @polku/personal-data and test-kit, which generate them elsewhere.
const CHILD = '150312A913M';
const OTHER_CHILD = '220514A9682';
const ADULT = '071184-947L';

const silent = createLogger({ service: 'test', level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
let pool: pg.Pool;
let app: FastifyInstance;
let eService: StandInResidentEService;
let residentKey: string;
let schoolKey: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL! });
  const store = sqlApiKeyStore(pool as unknown as KeyTable);
  residentKey = (await store.issue({ organisationId: 'keski-suomen-hyvinvointialue', systemId: 'asiointi', roles: ['resident'] })).key;
  schoolKey = (await store.issue({ organisationId: 'jyvaskyla-education', systemId: 'wilma', roles: ['submitter'] })).key;
  eService = await standInResidentEService();
  app = await createHttpApp({ logger: silent, title: 'test', version: '1' });
  registerApiKeyAuth(app, store, { personAssertions: personAssertionVerifier(eService.trust) });
  app.get('/me', async (request) => {
    const person = requirePerson(request.caller);
    return { assurance: person.assurance, children: person.guardianship?.childIdentityCodes.length ?? 0, source: person.guardianship?.source };
  });
});

afterAll(async () => {
  await app.close();
  await pool.end();
});

const get = (key: string, assertion?: string) =>
  app.inject({ method: 'GET', url: '/me', headers: { 'x-api-key': key, ...(assertion ? { [PERSON_ASSERTION_HEADER]: assertion } : {}) } });

describe("the resident e-service's assertion about a person", () => {
  it('makes the caller that person, with the assurance and the guardianship and its source', async () => {
    const answer = await get(residentKey, await eService.assert({ identityCode: ADULT, assurance: 'substantial', guardianOf: [CHILD] }));
    expect(answer.json()).toEqual({ assurance: 'substantial', children: 1, source: 'vtj' });
  });

  it('is refused from a key without the resident role, whatever it carries', async () => {
    const answer = await get(schoolKey, await eService.assert({ identityCode: OTHER_CHILD }));
    expect([answer.statusCode, answer.json().code]).toEqual([403, 'NOT_A_RESIDENT_E_SERVICE']);
  });

  it('is required on a route that acts for a person', async () => {
    const answer = await get(residentKey);
    expect([answer.statusCode, answer.json().code]).toEqual([401, 'PERSON_ASSERTION_REQUIRED']);
  });

  it('is refused when expired, for another audience, too old, signed by another key, or without a strong identification', async () => {
    const other = await standInResidentEService();
    const person = { identityCode: ADULT };
    const tries = {
      expired: await eService.assert(person, { issuedAgoSeconds: 200, expiresInSeconds: 100 }),
      audience: await eService.assert(person, { audience: 'someone-else' }),
      old: await eService.assert(person, { issuedAgoSeconds: 400, expiresInSeconds: 600 }),
      key: await other.assert(person),
      garbage: 'not.a.jwt',
    };
    for (const [what, token] of Object.entries(tries)) {
      const answer = await get(residentKey, token);
      expect([what, answer.statusCode, answer.json().code]).toEqual([what, 401, 'PERSON_ASSERTION_INVALID']);
      expect(answer.body).not.toContain(person.identityCode);
    }
  });
});
