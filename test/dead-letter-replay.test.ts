import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@polku/contracts';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { refusedDeliveries } from './refused-delivery';
import { eventually } from './support';

/**
 * A delivery the stand-in school refuses for good, seen and replayed through the console's HTTP
 * API over the running backbone: delivered once after the cause is fixed, stopped when the
 * family's consent went meanwhile, and audited on the operator topic before and after.
 */
describe('an operator replays a dead-lettered delivery through the console', () => {
  let run: RunningBackbone;
  let refused: ReturnType<typeof refusedDeliveries>;
  const consoleUrl = () => run.backbone.urls.console;
  const school = () => run.backbone.urls.school;
  /** The key id the audit names: `pk_<keyId>.<secret>`. */
  const keyIdOf = (key: string) => /^pk_([a-z0-9]{12})\./.exec(key)![1]!;

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000 });
    refused = refusedDeliveries(run);
  }, 180_000);

  afterAll(async () => {
    await run?.stop();
  });

  /** The school delivery's outcomes (the referral's co-worker gets a delivery of its own, to another system). */
  async function deliveryEvents(deliveryId: string, type: string) {
    const records = await run.readTopics([TOPICS.delivery]);
    return records.filter((r) => r.event !== undefined && r.event.type === type && (r.event.data as { deliveryId: string }).deliveryId === deliveryId);
  }

  const replay = (id: string, body: unknown, key = run.keys.operator) => call('POST', `${consoleUrl()}/v1/dead-letters/${id}/replay`, { key, body });

  const listDeadLetters = (query: string, key?: string) => refused.listDeadLetters(query, key);
  const stubDeliveries = (referralId: string) => refused.stubDeliveries(referralId);
  const refusedDelivery = () => refused.refusedDelivery();
  let first: Awaited<ReturnType<typeof refusedDelivery>>;

  it('lists a delivery the school refused for good, by topic and by error code, with its delivery id and codes and no record value', async () => {
    first = await refusedDelivery();
    const { letter, deliveryId } = first;
    expect(letter).toMatchObject({ originalTopic: TOPICS.referral, consumer: 'adapter-host', deliveryId, state: 'open', replayCount: 0 });
    expect(letter.errorCode).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(await stubDeliveries(first.referralId)).toEqual([expect.objectContaining({ idempotencyKey: deliveryId, answers: [422] })]);

    const byCode = await listDeadLetters(`errorCode=${letter.errorCode}&topic=${TOPICS.referral}.dlq`);
    expect(byCode.map((l) => l.id)).toContain(letter.id);
    const view = await call('GET', `${consoleUrl()}/v1/dead-letters/${letter.id}`, { key: run.keys.operator });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body).toMatchObject({ id: letter.id, deliveryId, errorCode: letter.errorCode, valueBytes: expect.any(Number) });
    // Codes and sizes only: neither the record's value nor any personal value of the referral.
    for (const shown of [view.body, byCode]) {
      const text = JSON.stringify(shown);
      expect(text).not.toMatch(/"value"\s*:/);
      for (const value of refused.fixtures.flatMap((f) => f.personalValues)) expect(text).not.toContain(value);
    }
  });

  it('lets an auditor list but not replay, and refuses a replay without a reason naming /reason', async () => {
    const { letter } = first;
    const listed = await listDeadLetters(`topic=${TOPICS.referral}`, run.keys.auditor);
    expect(listed.map((l) => l.id)).toContain(letter.id);
    const byAuditor = await replay(letter.id, { reason: 'cause-fixed' }, run.keys.auditor);
    expect(byAuditor.status).toBe(403);
    expect(byAuditor.headers.get('content-type')).toContain('application/problem+json');
    const noReason = await replay(letter.id, { ticket: 'INC-1' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('/reason');
    // Neither refusal changed anything.
    expect((await call('GET', `${consoleUrl()}/v1/dead-letters/${letter.id}`, { key: run.keys.operator })).body.state).toBe('open');
  });

  it('delivers a replayed dead letter once, with the same delivery id, once the school accepts again, and audits it', async () => {
    const { letter, deliveryId, referralId } = first;
    // The cause is fixed: the stand-in accepts again.
    await call('POST', `${school()}/_stub/script`, { body: { answers: [] } });
    const replayed = await replay(letter.id, { reason: 'cause-fixed', ticket: 'INC-2041' });
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(200);
    expect(replayed.body).toEqual({ id: letter.id, state: 'replayed' });

    await eventually(async () => (await deliveryEvents(deliveryId, 'fi.polku.delivery.succeeded.v1'))[0], 'delivery.succeeded after the replay', 60_000);
    // One entry per idempotency key at the stand-in: the same key as the refused attempt, accepted once.
    expect(await stubDeliveries(referralId)).toEqual([expect.objectContaining({ idempotencyKey: deliveryId, answers: [422, 200] })]);
    const view = await call('GET', `${consoleUrl()}/v1/dead-letters/${letter.id}`, { key: run.keys.operator });
    expect(view.body.state).toBe('replayed');

    const audit = await eventually(async () => {
      const records = await run.readTopics([TOPICS.operatorAction]);
      const requested = records.find((r) => r.event?.type === 'fi.polku.operator-action.requested.v1' && (r.event.data as { target: { deadLetterId?: string } }).target.deadLetterId === letter.id);
      const actionId = (requested?.event?.data as { actionId: string } | undefined)?.actionId;
      const completed = records.find((r) => r.event?.type === 'fi.polku.operator-action.completed.v1' && (r.event.data as { actionId: string }).actionId === actionId);
      return requested && completed ? { requested: requested.event!.data, completed: completed.event!.data } : undefined;
    }, 'the requested and completed audit records of the replay', 30_000);
    expect(audit.requested).toMatchObject({ action: 'dead-letter.replay', actor: { keyId: keyIdOf(run.keys.operator), organisationId: 'polku-operations' }, reason: { code: 'cause-fixed', ticket: 'INC-2041' } });
    expect(audit.completed).toMatchObject({ action: 'dead-letter.replay', outcome: 'succeeded' });
    // The refused replays (auditor, no reason) were never audited: only the one that ran.
    const records = await run.readTopics([TOPICS.operatorAction]);
    expect(records.filter((r) => r.event?.type === 'fi.polku.operator-action.requested.v1')).toHaveLength(1);
  });

  it('stops a replayed delivery whose consent was withdrawn meanwhile: nothing more reaches the school', async () => {
    const second = await refusedDelivery();
    const withdrawn = await call('POST', `${run.backbone.urls.consent}/v1/consents/${second.consentId}/withdraw`, { key: run.keys.school });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    // The school accepts again, so only the consent check can keep the replay from being delivered.
    await call('POST', `${school()}/_stub/script`, { body: { answers: [] } });
    const replayed = await replay(second.letter.id, { reason: 'cause-fixed' });
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(200);

    const stopped = await eventually(async () => {
      const failures = await deliveryEvents(second.deliveryId, 'fi.polku.delivery.failed.v1');
      return failures.find((r) => (r.event!.data as { lastError: { code: string } }).lastError.code === 'CONSENT_MISSING');
    }, 'delivery.failed with CONSENT_MISSING after the replay', 60_000);
    expect((stopped.event!.data as { lastError: { retryable: boolean } }).lastError.retryable).toBe(false);
    expect(await deliveryEvents(second.deliveryId, 'fi.polku.delivery.succeeded.v1')).toEqual([]);
    expect(await stubDeliveries(second.referralId)).toEqual([expect.objectContaining({ idempotencyKey: second.deliveryId, answers: [422] })]);
    // Stopped is not a new failure of the record: no new dead letter for it.
    const open = await listDeadLetters(`topic=${TOPICS.referral}&state=open`);
    expect(open.filter((l) => l.deliveryId === second.deliveryId)).toEqual([]);
  });
});
