import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProjection } from '@polku/projection';
import { teacherReferral } from '../../testing/fixtures';
import { eventually, startHarness, type Harness } from '../../testing/harness';
import { accepted, delivered, deliverySucceeded, routed, SETTLEMENT } from '../../testing/referral-events';

interface Status {
  id: string;
  state: string;
  submittedAt: string;
  lead?: object;
  timeline: Array<{ type: string; at: string; eventId: string }>;
}

describe('GET /v1/referrals/:id', () => {
  let h: Harness;
  let projection: RunningProjection;
  beforeAll(async () => {
    h = await startHarness();
    projection = await h.startProjection();
  });
  afterAll(async () => {
    await projection?.stop();
    await h?.close();
  });

  const status = (id: string, key: string) => h.app.inject({ method: 'GET', url: `/v1/referrals/${id}`, headers: { 'x-api-key': key } });
  const timelineOf = (id: string, length: number) =>
    eventually(async () => {
      const answer = await status(id, h.keys.operator);
      const body = answer.statusCode === 200 ? answer.json<Status>() : undefined;
      return body && body.timeline.length >= length ? body : undefined;
    }, `${length} steps in the timeline of ${id}`);

  async function submitOne(): Promise<string> {
    const answer = await h.app.inject({ method: 'POST', url: '/v1/referrals', payload: teacherReferral().body, headers: { 'x-api-key': h.keys.school } });
    expect(answer.statusCode, answer.body).toBe(202);
    return answer.json<{ id: string }>().id;
  }

  it('shows the submitted referral, then every step across sectors in order, with the lead', async () => {
    const id = await submitOne();
    const first = await timelineOf(id, 1);
    expect(first).toMatchObject({ id, state: 'submitted', timeline: [{ type: 'submitted' }] });
    expect(first.lead).toBeUndefined();

    const route = routed(id);
    const deliveryId = randomUUID();
    // The adapter host reports attempts on the delivery topic, which may be read before `delivered`.
    await h.bus.publish(h.deliveryTopic, deliverySucceeded(id, deliveryId, 4));
    for (const event of [route, route, delivered(id, SETTLEMENT, deliveryId), accepted(id)]) await h.bus.publish(h.topic, event);
    const done = await timelineOf(id, 4);
    expect(done.state).toBe('accepted');
    expect(done.lead).toEqual(SETTLEMENT);
    expect(done.timeline.map((e) => e.type)).toEqual(['submitted', 'routed', 'delivered', 'accepted']);
    expect(done.timeline[0]!.at).toBe(done.submittedAt);
    expect(done.timeline[1]).toMatchObject({ eventId: route.id, lead: SETTLEMENT });
    expect(done.timeline[2]).toMatchObject({ recipient: SETTLEMENT, deliveryId, attempts: 4 });
  });

  it('lets the submitter, the services routed to and operators read, and nobody else', async () => {
    const id = await submitOne();
    await h.bus.publish(h.topic, routed(id));
    await timelineOf(id, 2);
    for (const key of [h.keys.school, h.keys.lead, h.keys.recipientOnly, h.keys.operator]) expect((await status(id, key)).statusCode).toBe(200);
    const refused = await status(id, h.keys.otherSchool);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'NOT_A_RECIPIENT' });
    expect((await status(id, h.keys.auditor)).json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a sibling service of the organisation a referral was routed to (NOT_FOR_YOUR_SERVICE)', async () => {
    const id = await submitOne();
    await h.bus.publish(h.topic, routed(id, { organisationId: 'keski-suomen-hyvinvointialue', serviceId: 'ksh-child-welfare-jyvaskyla', sector: 'social-services' }, []));
    await timelineOf(id, 2);
    expect((await status(id, h.keys.childWelfare)).statusCode).toBe(200);
    const sibling = await status(id, h.keys.mentalHealth);
    expect(sibling.statusCode).toBe(403);
    expect(sibling.json()).toMatchObject({ code: 'NOT_FOR_YOUR_SERVICE' });
  });

  it('answers 404 for an unknown referral, 400 for an id that is not one, 401 without a key', async () => {
    const unknown = await status(randomUUID(), h.keys.operator);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'REFERRAL_NOT_FOUND', type: 'urn:polku:problem:referral-not-found' });
    expect((await status('x', h.keys.operator)).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: `/v1/referrals/${randomUUID()}` })).statusCode).toBe(401);
  });
});
