import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, startConsoleHarness, type ConsoleHarness } from '../testing/harness';
import { referralStory, type Story } from '../testing/story';

describe('tracing one referral (real broker, Redis and PostgreSQL)', () => {
  let h: ConsoleHarness;
  let story: Story;
  const underWay = randomUUID();

  beforeAll(async () => {
    h = await startConsoleHarness();
    story = referralStory();
    await h.publish(story.events);
    await h.projection.caughtUp();
    // What the router and the referral API keep in PostgreSQL, as they write it.
    await h.db.query(`INSERT INTO router_timers (referral_id, kind, state, due_at, job) VALUES ($1, 'sla', 'fired', now() - interval '1 hour', '{}'), ($1, 'follow-up', 'set', now() + interval '90 days', '{}')`, [story.referralId]);
    await h.db.query(
      `INSERT INTO idempotency_records (scope, organisation_id, idempotency_key, fingerprint, status, answer, expires_at)
       VALUES ('referral-submit', 'jyvaskyla-education', 'wilma-4711', 'f', 202, $1, now() + interval '1 day'),
              ('referral-submit', 'laukaa-education', 'shared-key', 'f', 202, $1, now() + interval '1 day'),
              ('referral-submit', 'jyvaskyla-education', 'shared-key', 'f', 202, $1, now() + interval '1 day')`,
      [JSON.stringify({ id: story.referralId, status: 'submitted' })],
    );
    // The adapter host's attempt log, as its worker writes it: the made delivery after a 503, the
    // failed one five times 503, and a third still under way (no event of it yet).
    await h.db.query(
      `INSERT INTO adapter_host_delivery_attempts (delivery_id, referral_id, adapter_id, attempt, started_at, ended_at, outcome, error_code, http_status)
       SELECT $2::uuid, $1::uuid, 'social-services.apotti', n, now() - interval '50 seconds' + n * interval '1 second', now() - interval '50 seconds' + n * interval '1 second',
              CASE WHEN n = 2 THEN 'delivered' ELSE 'failed-retrying' END, CASE WHEN n = 2 THEN NULL ELSE 'DELIVERY_RETRYABLE' END, CASE WHEN n = 2 THEN 202 ELSE 503 END
         FROM generate_series(1, 2) AS n
       UNION ALL
       SELECT $3::uuid, $1::uuid, 'ngo.mll-portal', n, now() - interval '40 seconds' + n * interval '1 second', now() - interval '40 seconds' + n * interval '1 second',
              CASE WHEN n = 5 THEN 'failed' ELSE 'failed-retrying' END, 'UPSTREAM_UNAVAILABLE', 503
         FROM generate_series(1, 5) AS n
       UNION ALL
       SELECT $4::uuid, $1::uuid, 'education.school', 1, now() - interval '5 seconds', now() - interval '4 seconds', 'failed-retrying', 'DELIVERY_RETRYABLE', NULL`,
      [story.referralId, story.deliveredDelivery, story.failedDelivery, underWay],
    );
    // The failed delivery's job is still in the adapter host's queue, waiting for a retry by hand.
    const deliveries = new Queue('polku-deliveries', { connection: h.redis, prefix: h.queuePrefix });
    await deliveries.add('ngo.mll-portal', { deliveryId: story.failedDelivery }, { jobId: story.failedDelivery, delay: 3_600_000 });
    await deliveries.close();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('gives every event across the four topics in order, with the rule, consent, disclosures, deliveries and timers', async () => {
    const { status, body } = await h.get(`/v1/traces/referrals/${story.referralId}`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.events.map((e: { eventId: string }) => e.eventId)).toEqual(story.events.map((e) => e.id));
    expect(body.events[0]).toMatchObject({ type: 'fi.polku.referral.submitted.v1', topic: 'polku.referral.events.v1', correlationId: story.referralId });
    expect(body.lastStatus).toBe('delivered');
    expect(body.routing).toMatchObject({ ruleId: 'attendance-and-mental-health-13-17', lead: { serviceId: 'family-social-work' }, coWorkers: [{ serviceId: 'family-cafe' }] });
    expect(body.consent).toEqual([expect.objectContaining({ decision: 'granted', consentId: story.consentId, kind: 'permission', dataCategories: ['contact', 'need-description'] })]);
    expect(body.disclosures).toEqual([
      expect.objectContaining({ outcome: 'released', deliveryId: story.deliveredDelivery, dataCategories: ['need-description'], basis: { kind: 'consent' } }),
      expect.objectContaining({ outcome: 'refused', reasonCode: 'ban-in-force', dataCategories: ['contact'] }),
    ]);
    const deliveries = Object.fromEntries(body.deliveries.map((d: { deliveryId: string }) => [d.deliveryId, d]));
    expect(deliveries[story.deliveredDelivery]).toMatchObject({ status: 'succeeded', attempts: 2, adapterId: 'social-services.apotti' });
    expect(deliveries[story.failedDelivery]).toMatchObject({ status: 'failed', attempts: 5, lastErrorCode: 'UPSTREAM_UNAVAILABLE', externalHttpStatus: 503, job: { state: 'delayed' } });
    expect(deliveries[story.deliveredDelivery].attemptLog).toEqual([
      { attempt: 1, startedAt: expect.any(String), endedAt: expect.any(String), outcome: 'failed-retrying', errorCode: 'DELIVERY_RETRYABLE', externalHttpStatus: 503 },
      { attempt: 2, startedAt: expect.any(String), endedAt: expect.any(String), outcome: 'delivered', externalHttpStatus: 202 },
    ]);
    expect(deliveries[story.failedDelivery].attemptLog.map((a: { attempt: number; outcome: string; externalHttpStatus: number }) => [a.attempt, a.outcome, a.externalHttpStatus])).toEqual([
      [1, 'failed-retrying', 503], [2, 'failed-retrying', 503], [3, 'failed-retrying', 503], [4, 'failed-retrying', 503], [5, 'failed', 503],
    ]);
    // A timeout has no status: the attempt says so by leaving it out.
    expect(deliveries[underWay]).toMatchObject({ status: 'queued', adapterId: 'education.school', attemptLog: [{ attempt: 1, outcome: 'failed-retrying', errorCode: 'DELIVERY_RETRYABLE' }], events: [] });
    expect(deliveries[underWay].attemptLog[0]).not.toHaveProperty('externalHttpStatus');
    expect(body.timers.held).toEqual([expect.objectContaining({ kind: 'follow-up', state: 'due' }), expect.objectContaining({ kind: 'sla', state: 'fired' })]);
    expect(body.timers.events).toEqual([expect.objectContaining({ type: 'fi.polku.referral.sla-breached.v1' })]);
  });

  it('shows an operator no subject reference; an auditor sees the full disclosure entries', async () => {
    const operator = await h.get(`/v1/traces/referrals/${story.referralId}`, h.keys.operator);
    expect(JSON.stringify(operator.body)).not.toContain(story.subjectRef);
    expect(JSON.stringify(operator.body)).not.toContain('sr_');
    expect(JSON.stringify(operator.body)).not.toContain('userRef');
    const auditor = await h.get(`/v1/traces/referrals/${story.referralId}`, h.keys.auditor);
    expect(auditor.status).toBe(200);
    expect(auditor.body.disclosures[0].entry).toMatchObject({ subjectRef: story.subjectRef, recipient: { userRef: 'education_school' }, basis: { kind: 'consent', consentId: story.consentId } });
  });

  it('finds the same trace by an event id, a delivery id and the idempotency key', async () => {
    const byReferral = (await h.get(`/v1/traces/referrals/${story.referralId}`)).body;
    const failedEvent = story.events.find((e) => e.type === 'fi.polku.delivery.failed.v1')!;
    for (const url of [
      `/v1/traces/events/${failedEvent.id}`,
      `/v1/traces/events/${story.events[4]!.id}`,
      `/v1/traces/deliveries/${story.failedDelivery}`,
      `/v1/traces/deliveries/${underWay}`,
      '/v1/traces/idempotency-keys/wilma-4711',
      '/v1/traces/idempotency-keys/shared-key?organisationId=laukaa-education',
    ]) {
      const answer = await h.get(url);
      expect(answer.status, url).toBe(200);
      expect(answer.body, url).toEqual(byReferral);
    }
  });

  it('says what it does not know, and when a key is ambiguous', async () => {
    expect((await h.get('/v1/traces/referrals/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ status: 404, code: 'TRACE_NOT_FOUND' });
    expect((await h.get(`/v1/traces/events/${story.events[1]!.id}`)).body).toMatchObject({ status: 404, code: 'TRACE_NOT_FOUND' });
    expect((await h.get('/v1/traces/idempotency-keys/never-used')).body).toMatchObject({ status: 404, code: 'TRACE_NOT_FOUND' });
    expect((await h.get('/v1/traces/idempotency-keys/shared-key')).body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_AMBIGUOUS' });
    expect((await h.get('/v1/traces/deliveries/not-a-uuid')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers operators and auditors only', async () => {
    expect((await h.get(`/v1/traces/referrals/${story.referralId}`, h.keys.submitter)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const noKey = await h.app.inject({ method: 'GET', url: `/v1/traces/referrals/${story.referralId}` });
    expect(noKey.statusCode).toBe(401);
    expect(noKey.headers['content-type']).toContain('application/problem+json');
  });

  it('logged no subject reference', () => {
    expect(logLines.join('\n')).not.toContain(story.subjectRef);
  });
});
