import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { createEvent, derivedEventId, type CloudEvent, type ConsentGrantedV1, type ReferralAcceptedV1, type ReferralClosedV1, type ReferralDeclinedV1, type ReferralRoutedV1 } from '@polku/contracts';
import { rebuild } from '@polku/projection';
import { coordinatorFor, decideRouting } from '../src/domain/decide-routing';
import type { TimingSettings } from '../src/router-context';
import type { RouterDeps, RunningRouter } from '../src/start-router';
import {
  dropQueueKeys, eventually, freshConsentTopic, freshTopic, lifecycle, memorySnapshot, ofType, openHarness, outboxCount, publish, randomSubjectRef,
  recordTopic, sleep, startTestRouter, submitted, unique, type Harness,
} from './helpers';

const GRANTED_EXAMPLE = JSON.parse(readFileSync(new URL('../../../schemas/consent/examples/consent.granted.v1.valid.json', import.meta.url), 'utf8')) as CloudEvent<ConsentGrantedV1>;

/**
 * A consent service in miniature: NGOs and parishes need a permission, every other recipient is
 * covered; `grant` records one and gives the event the consent service would publish. Counts the questions.
 */
function consentStandIn() {
  const granted = new Set<string>();
  const stand = {
    questions: 0,
    decider: {
      async decide(question) {
        stand.questions += 1;
        const sector = question.recipient.sector ?? 'ngo';
        if ((sector === 'ngo' || sector === 'parish') && !granted.has(`${question.subjectRef}/${sector}`)) return { allowed: false, reason: 'no-consent', detail: 'stand-in' };
        return { allowed: true, basis: { kind: 'consent', consentIds: ['stand-in'] }, dataCategories: [...question.dataCategories] };
      },
    } satisfies ConsentDecider,
    grant(subjectRef: string, sector: 'ngo' | 'parish'): CloudEvent<ConsentGrantedV1> {
      granted.add(`${subjectRef}/${sector}`);
      const consentId = randomUUID();
      const now = new Date();
      return createEvent<ConsentGrantedV1>('fi.polku.consent.granted.v1', {
        source: '/polku/consent', subject: consentId, correlationid: consentId, legalbasis: 'consent', consentid: consentId,
        data: {
          ...GRANTED_EXAMPLE.data, consentId, subjectRef, recipients: [{ sector }], purposes: ['service-provision'],
          validFrom: now.toISOString(), validUntil: new Date(now.getTime() + 365 * 24 * 3600 * 1000).toISOString(), changedAt: now.toISOString(),
        },
      });
    },
  };
  return stand;
}

/** State outside Redis and outside the routers' own Kafka groups, for tests that flush, rebuild or replace them. */
describe.concurrent('the router\'s state in PostgreSQL (real broker, Redis and PostgreSQL)', () => {
  const harnesses: Harness[] = [];
  const routers: RunningRouter[] = [];
  const prefixes: { h: Harness; prefix: string }[] = [];
  afterAll(async () => {
    await Promise.all(routers.map((r) => r.stop()));
    await Promise.all(prefixes.map((p) => dropQueueKeys(p.h.redis, p.prefix)));
    await Promise.all(harnesses.map((h) => h.close()));
  });

  /** A router deployment of the test's own: database, topic (unless given), consent topic, projection and queue prefix. */
  async function deployment(options: { timing?: Partial<TimingSettings>; consent?: ConsentDecider; topic?: string; now?: () => Date } = {}) {
    const h = await openHarness();
    harnesses.push(h);
    const [topic, consentTopic] = await Promise.all([options.topic ?? freshTopic(h.bus), freshConsentTopic(h.bus)]);
    const queuePrefix = unique('q');
    prefixes.push({ h, prefix: queuePrefix });
    const groupId = unique('router');
    const start = async (extra: { adoptGroups?: RouterDeps['adoptGroups'] } = {}) => {
      const router = await startTestRouter(h, {
        topic, consentTopic, queuePrefix, groupId, timing: options.timing ?? {},
        ...(options.consent ? { consent: options.consent } : {}), ...(options.now ? { now: options.now } : {}), ...extra,
      });
      routers.push(router);
      return router;
    };
    const stop = async (router: RunningRouter) => {
      await router.stop();
      routers.splice(routers.indexOf(router), 1);
    };
    return { h, topic, consentTopic, queuePrefix, start, stop };
  }

  /** Until every event the router wrote is on the topic and the projection has applied everything there. */
  const settled = async (h: Harness, router: RunningRouter) => {
    await eventually(async () => {
      const { rows } = await h.db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
      return rows[0]!.n === '0' ? true : undefined;
    }, 'the outbox published');
    await router.projection.caughtUp();
  };

  const routedOnce = (events: CloudEvent[], referralId: string, n = 1) => async () => {
    const found = ofType<ReferralRoutedV1>(events, 'routed', referralId);
    return found.length >= n ? found : undefined;
  };

  it('keeps its memory when Redis loses the router\'s keys: a later decline is handed to the coordinator, and the deadline comes back', async () => {
    const d = await deployment();
    let router = await d.start();
    const events = await recordTopic(d.h.bus, d.topic);
    const event = submitted();
    await publish(d.h.bus, d.topic, event);
    const [routed] = await eventually(routedOnce(events, event.subject), 'routed');
    const deadline = await eventually(() => router.timers.sla.describe(event.subject), 'the deadline');

    // Nothing of the memory is in Redis (where the router once kept `polku:router:*` keys); the queue's keys are all it has there.
    expect(await d.h.redis.exists(`polku:router:referral:${event.subject}`, `polku:router:awaiting:${event.subject}`)).toBe(0);
    await dropQueueKeys(d.h.redis, d.queuePrefix);
    expect(await router.timers.sla.describe(event.subject)).toBeUndefined();
    const declined = lifecycle<ReferralDeclinedV1>('declined', routed!, { referralId: event.subject, by: routed!.data.lead, reasonCode: 'no-capacity', declinedAt: new Date().toISOString() });
    await publish(d.h.bus, d.topic, declined);

    const [, handover] = await eventually(routedOnce(events, event.subject, 2), 'the coordinator route');
    const coordinator = coordinatorFor(event.data, d.h.catalogue);
    expect(handover).toMatchObject({ id: derivedEventId(declined.id, 'routed'), causationid: declined.id, correlationid: event.correlationid, data: { lead: coordinator, ruleId: 'lead-declined', viaCoordinator: true } });
    expect(await router.memory.get(event.subject)).toMatchObject({ lead: coordinator, viaCoordinator: true });

    // The deadline still runs (a covered coordinator keeps it): a restart reconciles its lost job.
    await d.stop(router);
    router = await d.start();
    expect(await router.timers.sla.describe(event.subject)).toEqual(deadline);
  });

  it('fires again the timers whose jobs Redis lost, once reconciled from the memory; stopped ones stay stopped', async () => {
    const DUE_MS = 10 * 60_000;
    let skewMs = 0; // the router's clock: moved on below, as if time had passed while Redis had nothing
    const d = await deployment({ timing: { slaOverrideMs: DUE_MS, followUpOverrideMs: DUE_MS }, now: () => new Date(Date.now() + skewMs) });
    const router = await d.start();
    const events = await recordTopic(d.h.bus, d.topic);
    const [breaching, closing, accepting] = [submitted(), submitted(), submitted()];
    for (const event of [breaching, closing, accepting]) await publish(d.h.bus, d.topic, event);
    const routedOf = async (event: { subject: string }) => (await eventually(routedOnce(events, event.subject), 'routed'))[0]!;
    const [closingRouted, acceptingRouted] = [await routedOf(closing), await routedOf(accepting)];
    await publish(d.h.bus, d.topic, lifecycle<ReferralClosedV1>('closed', closingRouted, { referralId: closing.subject, reason: 'helped', closedBy: closingRouted.data.lead, closedAt: new Date().toISOString() }));
    await publish(d.h.bus, d.topic, lifecycle<ReferralAcceptedV1>('accepted', acceptingRouted, { referralId: accepting.subject, by: acceptingRouted.data.lead, acceptedAt: new Date().toISOString() }));
    const followUp = await eventually(() => router.timers.followUps.describe(closing.subject), 'the follow-up');
    await eventually(async () => ((await router.timers.sla.describe(accepting.subject)) === undefined ? true : undefined), 'the accepted deadline stopped');
    // A handler adds and removes jobs before its transaction commits: what is reconciled below is
    // the memory, so wait until it says the closed and accepted deadlines stopped and the follow-up is set.
    await eventually(async () => {
      const { rows } = await d.h.db.query<{ timer: string }>("SELECT referral_id || ' ' || kind || ' ' || state AS timer FROM router_timers WHERE referral_id = ANY($1)", [[closing.subject, accepting.subject]]);
      const timers = rows.map((r) => r.timer);
      const expected = [`${closing.subject} sla stopped`, `${closing.subject} follow-up set`, `${accepting.subject} sla stopped`];
      return expected.every((t) => timers.includes(t)) ? true : undefined;
    }, 'the memory with the closed and accepted deadlines stopped');
    const deadline = await router.timers.sla.describe(breaching.subject);
    expect(deadline?.state).toBe('delayed');
    expect(followUp.state).toBe('delayed');

    await dropQueueKeys(d.h.redis, d.queuePrefix);
    expect(await router.timers.sla.describe(breaching.subject)).toBeUndefined();
    skewMs = DUE_MS + 60_000; // everything fell due while Redis had nothing

    expect(await router.reconcileTimers()).toEqual({ sla: 1, followUps: 1 });
    const [breach] = await eventually(async () => { const b = ofType(events, 'sla-breached', breaching.subject); return b.length > 0 ? b : undefined; }, 'sla-breached', 15_000);
    expect(breach).toMatchObject({ id: derivedEventId(`sla-${breaching.subject}`, 'sla-breached'), data: { dueAt: deadline!.dueAt } });
    const [due] = await eventually(async () => { const f = ofType(events, 'follow-up-due', closing.subject); return f.length > 0 ? f : undefined; }, 'follow-up-due', 15_000);
    expect(due).toMatchObject({ id: derivedEventId(`follow-up-${closing.subject}`, 'follow-up-due'), data: { dueAt: followUp.dueAt } });
    // Once fired, a timer is recorded as fired: reconciling again (Redis emptied once more) adds nothing.
    await eventually(async () => ((await router.timers.followUps.describe(closing.subject))?.state === 'completed' ? true : undefined), 'the follow-up done');
    await eventually(async () => ((await router.timers.sla.describe(breaching.subject))?.state === 'completed' ? true : undefined), 'the deadline done');
    await dropQueueKeys(d.h.redis, d.queuePrefix);
    expect(await router.reconcileTimers()).toEqual({ sla: 0, followUps: 0 });
    await sleep(1000);
    expect(ofType(events, 'sla-breached', breaching.subject)).toHaveLength(1);
    expect(ofType(events, 'follow-up-due', closing.subject)).toHaveLength(1);
    expect([...ofType(events, 'sla-breached', closing.subject), ...ofType(events, 'sla-breached', accepting.subject)]).toEqual([]);
  });

  /** The deadline of a routed referral falls due now: the running timer is replaced by one due at once. */
  const deadlinePassesNow = async (h: Harness, router: RunningRouter, routed: CloudEvent<ReferralRoutedV1>) => {
    const referralId = routed.subject;
    const record = (await router.memory.get(referralId))!;
    expect(await router.timers.sla.cancel(h.db, referralId)).toBe(true);
    const now = new Date();
    await router.timers.sla.schedule(h.db, { referralId, dueAt: now.toISOString(), sla: 'first-contact', causationid: routed.id, referral: record }, now, now);
  };

  /**
   * Referrals in every state the memory knows, made by `router` on its topic: a waiting NGO lead
   * resumed by a grant, a waiting NGO co-worker, a decline handed to the coordinator, a breach
   * handed to the coordinator, and a waiting NGO lead without a subject reference (never indexed).
   */
  async function routeEveryKind(d: Awaited<ReturnType<typeof deployment>>, router: RunningRouter, stand: ReturnType<typeof consentStandIn>, events: CloudEvent[]) {
    const resumed = submitted({ subjectRef: randomSubjectRef(), needCodes: ['loneliness-leisure'], urgency: 'routine' });
    const coWorkerWaits = submitted({ subjectRef: randomSubjectRef(), needCodes: ['parenting-support'], urgency: 'routine' });
    const declined = submitted();
    const breached = submitted();
    const unindexed = submitted({ needCodes: ['loneliness-leisure'], urgency: 'routine' });
    delete (unindexed.data as { subjectRef?: string }).subjectRef;
    const all = [resumed, coWorkerWaits, declined, breached, unindexed];
    for (const event of all) await publish(d.h.bus, d.topic, event);
    const routed = new Map<string, CloudEvent<ReferralRoutedV1>>();
    for (const event of all) routed.set(event.subject, (await eventually(routedOnce(events, event.subject), 'routed'))[0]!);

    await publish(d.h.bus, d.consentTopic, stand.grant(resumed.data.subjectRef!, 'ngo'));
    await eventually(routedOnce(events, resumed.subject, 2), 'the resumed route');
    const lead = routed.get(declined.subject)!;
    await publish(d.h.bus, d.topic, lifecycle<ReferralDeclinedV1>('declined', lead, { referralId: declined.subject, by: lead.data.lead, reasonCode: 'no-capacity', declinedAt: new Date().toISOString() }));
    await eventually(routedOnce(events, declined.subject, 2), 'the route after the decline');
    await eventually(() => router.timers.sla.describe(breached.subject), 'the deadline');
    await deadlinePassesNow(d.h, router, routed.get(breached.subject)!);
    await eventually(routedOnce(events, breached.subject, 2), 'the route after the breach', 15_000);
    await settled(d.h, router);

    // What the memory holds now, as the handlers wrote it.
    const ngo = decideRouting(coWorkerWaits.data, d.h.catalogue, d.h.rules).coWorkers.find((p) => p.sector === 'ngo')!;
    expect(await router.memory.waiting(coWorkerWaits.subject)).toEqual([ngo]);
    expect(await router.memory.waiting(resumed.subject)).toEqual([]);
    expect(await router.memory.waiting(unindexed.subject)).toEqual([]);
    expect(await router.memory.get(unindexed.subject)).toBeDefined();
    for (const event of [declined, breached]) expect(await router.memory.get(event.subject)).toMatchObject({ lead: coordinatorFor(event.data, d.h.catalogue), viaCoordinator: true });
    return { all, coWorkerWaits, ngo };
  }

  it('rebuilds the same memory from the topics while it runs, without asking, announcing or timing anything again; then acts on what comes', async () => {
    const stand = consentStandIn();
    const d = await deployment({ consent: stand.decider });
    const router = await d.start();
    const events = await recordTopic(d.h.bus, d.topic);
    const { all, coWorkerWaits, ngo } = await routeEveryKind(d, router, stand, events);
    const before = await memorySnapshot(d.h.db);
    expect(before.referrals).toHaveLength(all.length);
    const [written, asked, timers, published] = [await outboxCount(d.h.db), stand.questions, await Promise.all(all.map((e) => router.timers.sla.describe(e.subject))), events.length];

    const generation = await d.h.db.transaction((tx) => rebuild(tx, router.projection.name));
    await eventually(() => (router.projection.generation() === generation ? true : undefined), 'the router on the new generation');
    await router.projection.caughtUp();
    expect(await memorySnapshot(d.h.db)).toEqual(before);
    expect(await outboxCount(d.h.db)).toBe(written);
    expect(stand.questions).toBe(asked);
    expect(await Promise.all(all.map((e) => router.timers.sla.describe(e.subject)))).toEqual(timers);
    await sleep(500);
    expect(events).toHaveLength(published);

    // The rebuilt memory is the one it acts on: a grant for the waiting co-worker resumes it.
    const grant = stand.grant(coWorkerWaits.data.subjectRef!, 'ngo');
    await publish(d.h.bus, d.consentTopic, grant);
    const [, resumed] = await eventually(routedOnce(events, coWorkerWaits.subject, 2), 'the resumed route after the rebuild', 10_000);
    expect(resumed).toMatchObject({ id: derivedEventId(grant.id, `resume/${coWorkerWaits.subject}`), data: { ruleId: 'consent-granted', coWorkers: expect.arrayContaining([ngo]) } });
    await settled(d.h, router);
    expect(await router.memory.waiting(coWorkerWaits.subject)).toEqual([]);
  });

  it('takes over from an earlier router\'s consumer groups: their history is replayed into the memory, only what is new is acted on', async () => {
    const stand = consentStandIn();
    const earlier = await deployment({ consent: stand.decider });
    const first = await earlier.start();
    const events = await recordTopic(earlier.h.bus, earlier.topic);
    await routeEveryKind(earlier, first, stand, events);
    const remembered = await memorySnapshot(earlier.h.db);
    // The earlier router's group, caught up with the whole topic.
    const group = unique('router-before');
    const reader = await earlier.h.bus.consume({ groupId: group, topics: [earlier.topic], fromBeginning: true, handler: async () => {} });
    await eventually(async () => ((await earlier.h.bus.lag(group, [earlier.topic])).every((row) => row.lag === 0) ? true : undefined), 'the earlier group caught up');
    await reader.stop();
    await earlier.stop(first);

    const later = await deployment({ consent: stand.decider, topic: earlier.topic });
    const asked = stand.questions;
    const router = await later.start({ adoptGroups: [{ groupId: group, topic: earlier.topic }] });
    await router.projection.caughtUp();
    expect(await memorySnapshot(later.h.db)).toEqual(remembered);
    expect(await outboxCount(later.h.db)).toBe(0);
    expect(stand.questions).toBe(asked);

    const fresh = submitted();
    await publish(later.h.bus, later.topic, fresh);
    const [routed] = await eventually(routedOnce(events, fresh.subject), 'a new referral routed');
    expect(routed?.id).toBe(derivedEventId(fresh.id, 'routed'));
    expect(await router.timers.sla.describe(fresh.subject)).toMatchObject({ state: 'delayed' });
  });
});
