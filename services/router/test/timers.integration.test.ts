import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedEventId, type CloudEvent, type ReferralAcceptedV1, type ReferralClosedV1, type ReferralRoutedV1 } from '@polku/contracts';
import type { RunningRouter } from '../src/start-router';
import { dropQueueKeys, freshTopic, lifecycle, ofType, openHarness, publish, recordTopic, sleep, startTestRouter, submitted, unique, eventually, type Harness } from './helpers';
import { parseTraceparent, withTrace } from '@polku/telemetry';

const SLA_MS = 2500;
const FOLLOW_UP_MS = 1500;

// Concurrent: each test has its own database, topic, group and queue prefix (a router deployment of
// its own: a router reconciles every timer its database holds), and most of the time is waiting for a timer.
describe.concurrent('service-level timers (real broker, Redis and PostgreSQL, shortened deadlines)', () => {
  let h: Harness;
  const harnesses: Harness[] = [];
  const routers: RunningRouter[] = [];
  const prefixes: { h: Harness; prefix: string }[] = [];

  beforeAll(async () => {
    h = await openHarness();
    harnesses.push(h);
  });
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await Promise.all(prefixes.map((p) => dropQueueKeys(p.h.redis, p.prefix)));
    await Promise.all(harnesses.map((one) => one.close()));
  });

  /** A router of its own for each test: database, topic, group and queue prefix. */
  async function setUp(groupId = unique('router')) {
    const own = await openHarness();
    harnesses.push(own);
    const topic = await freshTopic(own.bus);
    const queuePrefix = unique('q');
    prefixes.push({ h: own, prefix: queuePrefix });
    const start = async () => {
      const router = await startTestRouter(own, { topic, queuePrefix, groupId, timing: { slaOverrideMs: SLA_MS, followUpOverrideMs: FOLLOW_UP_MS } });
      routers.push(router);
      return router;
    };
    return { topic, start, events: await recordTopic(own.bus, topic) };
  }
  const kindOf = (serviceId: string | undefined) => h.catalogue.services.find((s) => s.id === serviceId)?.kind;
  const first = <T>(list: T[]): T | undefined => list[0];

  it('reports a deadline nobody met and hands the referral to the guidance coordinator', async () => {
    const { topic, start, events } = await setUp();
    const router = await start();
    // Submitted in a trace: the timer set while routing it fires in the same trace.
    const traceId = 'ef'.repeat(16);
    const event = withTrace(`00-${traceId}-${'03'.repeat(8)}-01`, () => submitted());
    await publish(h.bus, topic, event);
    const routed = await eventually(() => first(ofType<ReferralRoutedV1>(events, 'routed', event.subject)), 'routed');

    const breach = await eventually(() => first(ofType(events, 'sla-breached', event.subject)), 'sla-breached', SLA_MS + 15_000);
    expect(parseTraceparent(routed.traceparent)?.traceId).toBe(traceId);
    expect(parseTraceparent(breach.traceparent)?.traceId).toBe(traceId);
    const jobId = `sla-${event.subject}`;
    expect(breach).toMatchObject({
      id: derivedEventId(jobId, 'sla-breached'),
      causationid: routed.id,
      correlationid: event.correlationid,
      data: { referralId: event.subject, sla: 'first-contact', responsible: routed.data.lead },
    });
    const reroute = await eventually(() => ofType<ReferralRoutedV1>(events, 'routed', event.subject).find((e) => e.data.viaCoordinator), 'coordinator route');
    expect(reroute).toMatchObject({ id: derivedEventId(jobId, 'routed'), data: { ruleId: 'sla-breached', coWorkers: [] } });
    expect(kindOf(reroute.data.lead.serviceId)).toBe('guidance-coordinator');
    await eventually(async () => ((await router.timers.sla.describe(event.subject))?.state === 'completed' ? true : undefined), 'the job done');
  });

  it('reports only the breach when the coordinator already holds the referral', async () => {
    const { topic, start, events } = await setUp();
    await start();
    const event = submitted({ needCodes: ['financial-hardship'], ageBand: '18-29' }); // no rule but the catch-all: the coordinator leads
    await publish(h.bus, topic, event);
    const routed = await eventually(() => first(ofType<ReferralRoutedV1>(events, 'routed', event.subject)), 'routed');
    expect(routed.data.viaCoordinator).toBe(true);

    await eventually(() => first(ofType(events, 'sla-breached', event.subject)), 'sla-breached', SLA_MS + 15_000);
    await sleep(1000);
    expect(ofType(events, 'routed', event.subject)).toHaveLength(1);
  });

  it('stops the deadline when the lead accepts in time', async () => {
    const { topic, start, events } = await setUp();
    const router = await start();
    const event = submitted();
    await publish(h.bus, topic, event);
    const routed = await eventually(() => first(ofType<ReferralRoutedV1>(events, 'routed', event.subject)), 'routed');
    const accepted = lifecycle<ReferralAcceptedV1>('accepted', routed, { referralId: event.subject, by: routed.data.lead, acceptedAt: new Date().toISOString() });
    await publish(h.bus, topic, accepted);
    await eventually(async () => ((await router.timers.sla.describe(event.subject)) === undefined ? true : undefined), 'the deadline stopped');

    await sleep(SLA_MS + 1500);
    expect(ofType(events, 'sla-breached', event.subject)).toEqual([]);
  });

  it('fires a deadline that fell due while the router was down, once, after a restart', async () => {
    const groupId = unique('router');
    const { topic, start, events } = await setUp(groupId);
    const before = await start();
    const event = submitted();
    await publish(h.bus, topic, event);
    await eventually(() => first(ofType(events, 'routed', event.subject)), 'routed');
    await before.stop();
    routers.splice(routers.indexOf(before), 1);

    await sleep(SLA_MS + 500); // due while nothing runs
    expect(ofType(events, 'sla-breached', event.subject)).toEqual([]);
    await start();

    await eventually(() => first(ofType(events, 'sla-breached', event.subject)), 'sla-breached after the restart');
    await sleep(1000);
    expect(ofType(events, 'sla-breached', event.subject)).toHaveLength(1);
    expect(ofType(events, 'routed', event.subject)).toHaveLength(2); // the first route and the coordinator's, nothing re-routed
  });

  it('schedules a follow-up when a referral closes and announces it when due', async () => {
    const { topic, start, events } = await setUp();
    const router = await start();
    const event = submitted();
    await publish(h.bus, topic, event);
    const routed = await eventually(() => first(ofType<ReferralRoutedV1>(events, 'routed', event.subject)), 'routed');
    const closed = lifecycle<ReferralClosedV1>('closed', routed, { referralId: event.subject, reason: 'helped', closedBy: routed.data.lead, closedAt: new Date().toISOString() });
    await publish(h.bus, topic, closed);

    const job = await eventually(() => router.timers.followUps.describe(event.subject), 'the follow-up job');
    expect(job.state).toMatch(/delayed|waiting|active|completed/);
    expect(await router.timers.sla.describe(event.subject)).toBeUndefined(); // closing stops the deadline
    const due = await eventually(() => first(ofType<CloudEvent['data']>(events, 'follow-up-due', event.subject)), 'follow-up-due', FOLLOW_UP_MS + 15_000);
    expect(due).toMatchObject({
      id: derivedEventId(`follow-up-${event.subject}`, 'follow-up-due'),
      causationid: closed.id,
      correlationid: event.correlationid,
      data: { referralId: event.subject, lead: routed.data.lead, dueAt: job.dueAt },
    });
    expect(ofType(events, 'sla-breached', event.subject)).toEqual([]);
  });
});
