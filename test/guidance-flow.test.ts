import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@polku/contracts';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { childWelfareNotification, consentBody, familySupportReferral, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually } from './support';
import type { TopicRecord } from './topic-reader';

const SLA_MS = 6000;

describe('the one-contact guidance flow, end to end', () => {
  let run: RunningBackbone;
  const fixtures: ReferralFixture[] = [];
  const api = () => run.backbone.urls.referralApi;
  const school = () => run.backbone.urls.school;

  async function submit(fixture: ReferralFixture, key = run.keys.school, headers: Record<string, string> = {}) {
    fixtures.push(fixture);
    const answer = await call('POST', `${api()}/v1/referrals`, { key, body: fixture.body, headers });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    return answer.body.id as string;
  }

  /** The guardian's permission for the school (lead) and student welfare (co-worker), recorded first. */
  async function submitWithConsent(fixture: ReferralFixture) {
    const recipients = [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }];
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    return submit(fixture);
  }

  async function status(id: string, key = run.keys.school) {
    return call('GET', `${api()}/v1/referrals/${id}`, { key });
  }

  async function timelineReaches(id: string, type: string, key = run.keys.operator) {
    return eventually(async () => {
      const answer = await status(id, key);
      return answer.status === 200 && answer.body.timeline.some((entry: { type: string }) => entry.type === type) ? answer.body : undefined;
    }, `${type} in the timeline of ${id}`, 30_000);
  }

  async function stubAct(id: string, action: string) {
    const answer = await call('POST', `${school()}/_stub/referrals/${id}/act`, { body: { action } });
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  }

  /** What the stand-in school received for a referral: one entry per idempotency key. */
  async function stubDeliveries(referralId: string): Promise<Array<{ idempotencyKey: string; answers: number[] }>> {
    const answer = await call('GET', `${school()}/_stub/deliveries`);
    return answer.body.deliveries.filter((d: { referralId: string }) => d.referralId === referralId);
  }

  beforeAll(async () => {
    run = await startBackbone({ slaMs: SLA_MS });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('routes a referral to the lead for its municipality and need, delivers it to the school, and shows one timeline to the end', async () => {
    const id = await submitWithConsent(learningSupportReferral());
    const delivered = await timelineReaches(id, 'delivered');
    expect(delivered.lead).toMatchObject({ organisationId: 'jyvaskyla-education', serviceId: 'jkl-basic-education' });

    await stubAct(id, 'accept');
    await timelineReaches(id, 'accepted');
    await stubAct(id, 'close');
    const closed = await timelineReaches(id, 'closed');

    expect(closed.state).toBe('closed');
    expect(closed.timeline.map((entry: { type: string }) => entry.type)).toEqual(['submitted', 'routed', 'delivered', 'accepted', 'closed']);
    const timers = await eventually(async () => {
      const answer = await call('GET', `${run.backbone.urls.router}/v1/referrals/${id}/timers`, { key: run.keys.operator });
      return answer.body?.followUp ? answer.body : undefined;
    }, 'the follow-up timer');
    expect(timers.followUp.state).toBe('delayed');
  });

  it('answers a retried submit with the first answer and creates nothing new', async () => {
    const fixture = learningSupportReferral();
    const headers = { 'idempotency-key': `e2e-${Date.now()}` };
    const first = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers });
    const second = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers });
    fixtures.push(fixture);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    const records = await run.readTopics([TOPICS.referral]);
    const submitted = records.filter((r) => r.event !== undefined && r.event.subject === first.body.id && r.event.type === 'fi.polku.referral.submitted.v1');
    expect(submitted).toHaveLength(1);
  });

  it('says what is wrong with a bad request, who is not known, and who may not look', async () => {
    const bad = learningSupportReferral({ needCodes: ['flying-lessons'], municipalityCode: '999' });
    delete (bad.body.child as Record<string, unknown>).lastName;
    fixtures.push(bad);
    const invalid = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: bad.body });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const fields = invalid.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/child/lastName', '/needCodes/0']));

    const unknownMunicipality = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: learningSupportReferral({ municipalityCode: '999' }).body });
    expect(unknownMunicipality.status).toBe(400);
    expect(unknownMunicipality.body.errors.map((e: { field: string }) => e.field)).toContain('/municipalityCode');

    expect((await call('POST', `${api()}/v1/referrals`, { body: learningSupportReferral().body })).status).toBe(401);
    const id = await submit(learningSupportReferral());
    await timelineReaches(id, 'routed');
    expect((await status(id, run.keys.otherSchool)).status).toBe(403);
  });

  it('retries a school system that is down, and delivers once', async () => {
    await call('POST', `${school()}/_stub/script`, { body: { answers: [503, 503, 503, 200] } });
    const id = await submitWithConsent(learningSupportReferral());
    const delivered = await timelineReaches(id, 'delivered');
    expect(delivered.timeline.filter((e: { type: string }) => e.type === 'delivered')).toHaveLength(1);
    const succeeded = await eventually(async () => {
      const records = await run.readTopics([TOPICS.delivery]);
      return records.find((r) => r.event !== undefined && r.event.type === 'fi.polku.delivery.succeeded.v1' && (r.event.data as { referralId: string }).referralId === id);
    }, 'delivery.succeeded');
    expect((succeeded.event!.data as { attempts: number }).attempts).toBe(4);
    expect(await stubDeliveries(id)).toEqual([expect.objectContaining({ answers: [503, 503, 503, 200] })]);
  });

  it('does not retry a delivery the school rejects, and dead-letters it with the answer', async () => {
    await call('POST', `${school()}/_stub/script`, { body: { answers: [422], body: { error: 'unknown school unit', code: 'E_UNIT' } } });
    const id = await submitWithConsent(learningSupportReferral());
    const failure = await eventually(async () => {
      const records = await run.readTopics([TOPICS.delivery]);
      return records.find((r) => r.event !== undefined && r.event.type === 'fi.polku.delivery.failed.v1' && (r.event.data as { referralId: string }).referralId === id);
    }, 'delivery.failed');
    expect((failure.event!.data as { lastError: { httpStatus: number; retryable: boolean } }).lastError).toMatchObject({ httpStatus: 422, retryable: false });
    const letter = await eventually(async () => {
      const records = await run.readTopics([`${TOPICS.referral}.dlq`]);
      return records.find((r) => r.key === id && r.headers['polku-dlq-error-message']?.includes('unknown school unit'));
    }, 'the dead letter');
    expect(letter.headers['polku-dlq-error-code']).toBeDefined();
    expect(await stubDeliveries(id)).toEqual([expect.objectContaining({ answers: [422] })]);
  });

  it('fires the SLA timer for a referral nobody accepts, also across a router restart', async () => {
    // Child-welfare notifications need no consent, so their lead's clock starts at once.
    const waiting = await submit(childWelfareNotification());
    const restarted = await submit(childWelfareNotification());
    await timelineReaches(waiting, 'routed');
    await timelineReaches(restarted, 'routed');
    await run.backbone.processes.router.kill();
    await new Promise((resolve) => setTimeout(resolve, SLA_MS));
    await run.backbone.restart('router');
    for (const id of [waiting, restarted]) {
      await timelineReaches(id, 'sla-breached');
      // The breach and the hand-over are two events, applied to the status one after the other.
      const handedOver = await eventually(async () => {
        const routes = (await status(id, run.keys.operator)).body.timeline.filter((e: { type: string }) => e.type === 'routed');
        return routes.length >= 2 ? routes : undefined;
      }, `the hand-over of ${id}`);
      expect(handedOver.at(-1).lead.serviceId).toMatch(/guidance/);
    }
  });

  it('routes every referral of a burst exactly once although the router is killed in the middle', async () => {
    const ids: string[] = [];
    const burst = Array.from({ length: 200 }, () => familySupportReferral());
    let killed = false;
    for (let i = 0; i < burst.length; i += 20) {
      ids.push(...(await Promise.all(burst.slice(i, i + 20).map((fixture) => submit(fixture)))));
      if (!killed && i >= 80) {
        await run.backbone.processes.router.kill();
        killed = true;
      }
    }
    await run.backbone.restart('router');
    for (const id of ids) {
      const routed = await timelineReaches(id, 'routed');
      // A later hand-over to a coordinator when the SLA passes is a second, different route.
      const byRule = routed.timeline.filter((e: { type: string; ruleId?: string }) => e.type === 'routed' && e.ruleId !== 'sla-breached');
      expect(byRule.length, id).toBe(1);
    }
  }, 240_000);

  it('puts no identity code, name or description on any topic or in any log line', async () => {
    const records: TopicRecord[] = await run.readTopics(Object.values(TOPICS).flatMap((topic) => [topic, `${topic}.dlq`]));
    const messages = records.map((r) => r.raw);
    // Every line every process wrote, killed ones included: each service appends to its own file.
    const logs = readdirSync(run.logDir).map((file) => readFileSync(join(run.logDir, file), 'utf8'));
    expect(messages.length).toBeGreaterThan(fixtures.length);
    expect(logs.join('').length).toBeGreaterThan(0);
    const values = fixtures.flatMap((f) => f.personalValues);
    const leaks = values.filter((value) => messages.some((m) => m.includes(value)) || logs.some((l) => l.includes(value)));
    expect(leaks).toEqual([]);
  });
});
