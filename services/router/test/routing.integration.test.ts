import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, type HandlerContext } from '@polku/bus';
import { groupOf } from '@polku/projection';
import { derivedEventId, type CloudEvent, type ReferralDeclinedV1, type ReferralRoutedV1 } from '@polku/contracts';
import { formatHelsinki } from '../src/domain/helsinki-time';
import { decideRouting } from '../src/domain/decide-routing';
import type { RunningRouter } from '../src/start-router';
import { dropQueueKeys, freshTopic, handled, lifecycle, ofType, openHarness, outboxCount, publish, recordTopic, sleep, startTestRouter, submitted, unique, eventually, type Harness } from './helpers';

describe('routing a referral (real broker, Redis and PostgreSQL)', () => {
  let h: Harness;
  let router: RunningRouter;
  let topic: string;
  let events: CloudEvent[];
  const groupId = unique('router');
  const queuePrefix = unique('q');

  beforeAll(async () => {
    h = await openHarness();
    topic = await freshTopic(h.bus);
    router = await startTestRouter(h, { topic, queuePrefix, groupId });
    events = await recordTopic(h.bus, topic);
  });
  afterAll(async () => {
    await router?.stop();
    await dropQueueKeys(h.redis, queuePrefix);
    await h?.close();
  });

  const kindOf = (serviceId: string | undefined) => h.catalogue.services.find((s) => s.id === serviceId)?.kind;
  const routedOf = (referralId: string) => ofType<ReferralRoutedV1>(events, 'routed', referralId);

  it('publishes one routed event with the derived id, to the lead the rules choose, and sets the working-day deadline', async () => {
    const event = submitted();
    await publish(h.bus, topic, event);

    const [routed] = await eventually(() => (routedOf(event.subject).length > 0 ? routedOf(event.subject) : undefined), 'routed');
    expect(routed).toMatchObject({
      id: derivedEventId(event.id, 'routed'),
      source: '/polku/router',
      causationid: event.id,
      correlationid: event.correlationid,
      legalbasis: 'consent',
      data: { referralId: event.subject, ruleId: 'school-wellbeing', viaCoordinator: false },
    });
    expect(kindOf(routed?.data.lead.serviceId)).toBe('student-welfare');
    expect(routed?.data.coWorkers.map((c) => kindOf(c.serviceId))).toEqual(['family-centre']);

    const deadline = decideRouting(event.data, h.catalogue, h.rules).slaDeadline.dueAt;
    expect(await router.timers.sla.describe(event.subject)).toEqual({ dueAt: formatHelsinki(deadline), state: 'delayed' });
  });

  it('sends a child-welfare notification (LSL 25 §) to the municipality\'s child welfare only', async () => {
    const event = submitted({ legalBasis: 'lsl-25', needCodes: ['school-attendance'], urgency: 'routine' });
    await publish(h.bus, topic, event);

    const [routed] = await eventually(() => (routedOf(event.subject).length > 0 ? routedOf(event.subject) : undefined), 'routed');
    expect(routed?.legalbasis).toBe('lsl-25');
    expect(routed?.data).toMatchObject({ ruleId: 'child-welfare-notification', coWorkers: [], viaCoordinator: false });
    expect(kindOf(routed?.data.lead.serviceId)).toBe('child-welfare');
  });

  it('routes a referral event handled twice once: the same event published twice, and redelivered to a group that lost its offsets', async () => {
    const event = submitted();
    await publish(h.bus, topic, event);
    await eventually(() => (routedOf(event.subject).length > 0 ? true : undefined), 'first routed');
    const firstDue = await router.timers.sla.describe(event.subject);
    const written = await outboxCount(h.db);

    await publish(h.bus, topic, event); // the same event id again: the projection skips it
    await router.projection.caughtUp();
    // As if the broker had lost the group's offsets (or the router died before committing):
    // every record of the topic is delivered again, and every one is skipped as handled.
    const generation = router.projection.generation();
    await router.stop();
    await (await h.bus.admin()).deleteGroups([groupOf(groupId, generation)]);
    router = await startTestRouter(h, { topic, queuePrefix, groupId });
    expect(router.projection.generation()).toBe(generation);
    await router.projection.caughtUp();
    await sleep(1000);

    const ids = new Set(routedOf(event.subject).map((e) => e.id));
    expect([...ids]).toEqual([derivedEventId(event.id, 'routed')]);
    expect(routedOf(event.subject)).toHaveLength(1);
    expect(await outboxCount(h.db)).toBe(written);
    expect(await router.timers.sla.describe(event.subject)).toEqual(firstDue);
  });

  it('hands a referral the lead declines to the guidance coordinator, keeping its deadline', async () => {
    const event = submitted();
    await publish(h.bus, topic, event);
    const [routed] = await eventually(() => (routedOf(event.subject).length > 0 ? routedOf(event.subject) : undefined), 'routed');
    const declined = lifecycle<ReferralDeclinedV1>('declined', routed!, {
      referralId: event.subject, by: routed!.data.lead, reasonCode: 'no-capacity', declinedAt: new Date().toISOString(),
    });
    await publish(h.bus, topic, declined);

    const reroute = await eventually(() => routedOf(event.subject).find((e) => e.causationid === declined.id), 'coordinator route');
    expect(reroute).toMatchObject({ id: derivedEventId(declined.id, 'routed'), correlationid: event.correlationid, data: { ruleId: 'lead-declined', viaCoordinator: true, coWorkers: [] } });
    expect(kindOf(reroute.data.lead.serviceId)).toBe('guidance-coordinator');
    expect(await router.memory.get(event.subject)).toMatchObject({ lead: reroute.data.lead, viaCoordinator: true });
    expect((await router.timers.sla.describe(event.subject))?.state).toBe('delayed');
  });

  it('ignores a decline by a co-worker: the lead keeps the referral', async () => {
    const event = submitted();
    await publish(h.bus, topic, event);
    const [routed] = await eventually(() => (routedOf(event.subject).length > 0 ? routedOf(event.subject) : undefined), 'routed');
    const coWorker = routed!.data.coWorkers[0]!;
    const declined = lifecycle<ReferralDeclinedV1>('declined', routed!, { referralId: event.subject, by: coWorker, reasonCode: 'not-in-scope', declinedAt: new Date().toISOString() });
    await publish(h.bus, topic, declined);
    await eventually(async () => ((await handled(h.db, router, declined.id)) ? true : undefined), 'the decline handled');

    expect(routedOf(event.subject)).toHaveLength(1);
    expect(await router.memory.get(event.subject)).toMatchObject({ lead: routed!.data.lead, viaCoordinator: false });
  });

  it('dead-letters a decline of a referral it never routed, so an operator sees it', async () => {
    const headers: HandlerContext['headers'][] = [];
    await h.bus.consume({ groupId: unique('dlq'), topics: [`${topic}.dlq`], fromBeginning: true, handler: async (_e, context) => void headers.push(context.headers) });
    const stray = submitted();
    const declined = lifecycle<ReferralDeclinedV1>('declined', stray, {
      referralId: stray.subject, by: { organisationId: 'wellbeing-keski-suomi' }, reasonCode: 'not-in-scope', declinedAt: new Date().toISOString(),
    });
    await publish(h.bus, topic, declined);

    const [dead] = await eventually(() => (headers.length > 0 ? headers : undefined), 'the dead letter');
    expect(String(dead?.[DEAD_LETTER_HEADERS.errorCode])).toBe('ROUTER_REFERRAL_UNKNOWN');
    expect(routedOf(stray.subject)).toEqual([]);
  });
});
