import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { consentBody, identityCodeOf, learningSupportReferral } from './fixtures';
import { eventually } from './support';

/**
 * The console over the running backbone: a referral goes through (consent, routing, delivery to
 * the stand-in school, the delivery's disclosure), and an operator traces it by each of the four
 * ids, seeing codes and ids only.
 */
describe('the console traces a referral through the backbone', () => {
  let run: RunningBackbone;
  let referralId: string;
  const idempotencyKey = `console-e2e-${randomUUID()}`;
  const consoleUrl = () => run.backbone.urls.console;

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000, instances: { referralApi: 1, router: 1, consent: 1, adapterHost: 1, disclosureSealer: 1 } });
    const fixture = learningSupportReferral();
    const recipients = [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }];
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const submitted = await call('POST', `${run.backbone.urls.referralApi}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers: { 'idempotency-key': idempotencyKey } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    referralId = submitted.body.id;
  }, 180_000);

  afterAll(async () => {
    await run?.stop();
  });

  const trace = (path: string, key = run.keys.operator) => call('GET', `${consoleUrl()}/v1/traces/${path}`, { key });

  it('traces it by referral id, event id, delivery id and idempotency key, all to the same answer', async () => {
    // Delivered, and the delivery's outcome and disclosure indexed by the console.
    const byReferral = await eventually(async () => {
      const answer = await trace(`referrals/${referralId}`);
      const delivery = answer.body?.deliveries?.find((d: { status: string }) => d.status === 'succeeded');
      return delivery && answer.body.disclosures.some((d: { outcome: string }) => d.outcome === 'released') ? answer.body : undefined;
    }, 'the delivery in the trace', 60_000);

    // The guardian's permission was recorded first: its event comes before the submission.
    expect(byReferral.events.map((e: { type: string }) => e.type).slice(0, 3)).toEqual(['fi.polku.consent.granted.v2', 'fi.polku.referral.submitted.v1', 'fi.polku.referral.routed.v1']);
    expect(byReferral.events[1]).toMatchObject({ correlationId: referralId });
    expect(byReferral.routing.ruleId).toEqual(expect.any(String));
    expect(byReferral.consent).toEqual(expect.arrayContaining([expect.objectContaining({ decision: 'granted' })]));
    const delivery = byReferral.deliveries.find((d: { status: string }) => d.status === 'succeeded');
    expect(delivery).toMatchObject({ adapterId: 'education.school', attempts: 1 });
    // Every attempt from the adapter host's attempt log, with what the stand-in school answered.
    expect(delivery.attemptLog).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered', externalHttpStatus: expect.any(Number) })]);
    expect(delivery.attemptLog[0].externalHttpStatus).toBeGreaterThanOrEqual(200);
    expect(delivery.attemptLog[0].externalHttpStatus).toBeLessThan(300);
    expect(byReferral.timers.held).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'sla' })]));

    const routed = byReferral.events.find((e: { type: string }) => e.type === 'fi.polku.referral.routed.v1');
    for (const path of [`events/${routed.eventId}`, `deliveries/${delivery.deliveryId}`, `idempotency-keys/${idempotencyKey}`]) {
      const answer = await trace(path);
      expect(answer.status, path).toBe(200);
      // The same referral and every event the first trace saw. Events indexed meanwhile may sit
      // anywhere in the time order (another topic's projection can index an earlier event later),
      // so what both saw is compared as a set; each answer is in time order.
      expect(answer.body.referralId, path).toBe(referralId);
      expect(answer.body.events, path).toEqual(expect.arrayContaining(byReferral.events));
      expect(isInTimeOrder(answer.body.events), path).toBe(true);
    }
  });

  it('shows an operator no subject reference, and an auditor the full disclosure entries', async () => {
    const operator = await trace(`referrals/${referralId}`);
    expect(JSON.stringify(operator.body)).not.toMatch(/"sr_|userRef|subjectRef/);
    const auditor = await trace(`referrals/${referralId}`, run.keys.auditor);
    expect(auditor.body.disclosures.find((d: { outcome: string }) => d.outcome === 'released').entry.subjectRef).toMatch(/^sr_/);
  });

  it('shows lag, queues and alerts to an operator', async () => {
    const lag = await call('GET', `${consoleUrl()}/v1/lag`, { key: run.keys.operator });
    expect(lag.status).toBe(200);
    expect(lag.body.groups.map((g: { groupId: string }) => g.groupId)).toEqual(expect.arrayContaining([expect.stringMatching(/^projection\.console\.g/)]));
    const queues = await call('GET', `${consoleUrl()}/v1/queues`, { key: run.keys.operator });
    expect(queues.body.queues.map((q: { queue: string }) => q.queue)).toEqual(['polku-deliveries', 'polku-router-sla', 'polku-router-follow-up', 'polku-consent-expiry']);
    // Every service of this backbone is ready: no service-not-ready alert once the console has evaluated.
    const alerts = await eventually(async () => {
      const answer = await call('GET', `${consoleUrl()}/v1/alerts?state=firing`, { key: run.keys.operator });
      return answer.body?.evaluatedAt ? answer.body : undefined;
    }, 'an evaluation of the alerts');
    expect(alerts.alerts.filter((a: { kind: string }) => a.kind === 'service-not-ready')).toEqual([]);
  });
});

function isInTimeOrder(events: readonly { time: string }[]): boolean {
  return events.every((event, i) => i === 0 || events[i - 1]!.time <= event.time);
}
