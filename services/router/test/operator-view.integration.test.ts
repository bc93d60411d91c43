import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlApiKeyStore } from '@polku/service-kit';
import { buildApp } from '../src/app';
import type { RunningRouter } from '../src/start-router';
import { dropQueueKeys, freshTopic, logger, ofType, openHarness, publish, recordTopic, startTestRouter, submitted, unique, eventually, type Harness } from './helpers';

describe('the HTTP side: health and the operators\' timer view', () => {
  let h: Harness;
  let router: RunningRouter;
  let app: FastifyInstance;
  const queuePrefix = unique('q');
  const keys = { operator: '', submitter: '' };
  const keyIds: string[] = [];

  beforeAll(async () => {
    h = await openHarness();
    router = await startTestRouter(h, { topic: await freshTopic(h.bus), queuePrefix });
    app = await buildApp({ logger, db: h.db, timers: router.timers, memory: router.memory, readiness: { redis: async () => void (await h.redis.ping()) } });
    const store = sqlApiKeyStore(h.db);
    for (const role of ['operator', 'submitter'] as const) {
      const issued = await store.issue({ organisationId: 'wellbeing-keski-suomi', systemId: `router-test-${role}`, roles: [role] });
      keys[role] = issued.key;
      keyIds.push(issued.caller.keyId);
    }
  });
  afterAll(async () => {
    await app?.close();
    await router?.stop();
    const store = sqlApiKeyStore(h.db);
    await Promise.all(keyIds.map((id) => store.revoke(id)));
    await dropQueueKeys(h.redis, queuePrefix);
    await h?.close();
  });

  it('answers health without a key', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({ status: 'up', checks: { redis: 'up' } });
  });

  it('shows an operator the deadline of a routed referral, and nobody else', async () => {
    const topic = await freshTopic(h.bus);
    const other = await startTestRouter(h, { topic, queuePrefix });
    try {
      const events = await recordTopic(h.bus, topic);
      const event = submitted({ urgency: 'urgent' });
      await publish(h.bus, topic, event);
      await eventually(() => ofType(events, 'routed', event.subject)[0], 'routed');
      const url = `/v1/referrals/${event.subject}/timers`;

      expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
      const forbidden = await app.inject({ method: 'GET', url, headers: { 'x-api-key': keys.submitter } });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toMatchObject({ type: 'urn:polku:problem:forbidden' });

      const answer = await app.inject({ method: 'GET', url, headers: { 'x-api-key': keys.operator } });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ sla: { dueAt: expect.stringMatching(/T16:00:00\+0[23]:00$/), state: 'delayed' } });
    } finally {
      await other.stop();
    }
  });

  it('says 404 for a referral the router has not seen, and 400 for an id that is not one', async () => {
    const headers = { 'x-api-key': keys.operator };
    const unknown = await app.inject({ method: 'GET', url: `/v1/referrals/${randomUUID()}/timers`, headers });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ type: 'urn:polku:problem:not-found' });
    expect((await app.inject({ method: 'GET', url: '/v1/referrals/nope/timers', headers })).statusCode).toBe(400);
  });
});
