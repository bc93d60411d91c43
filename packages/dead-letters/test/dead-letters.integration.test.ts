import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_HEADERS } from '@polku/bus';
import { TOPICS, type CloudEvent } from '@polku/contracts';
import { freePort } from '@polku/infra';
import { createBus } from '@polku/bus';
import { createOperatorAudit } from '@polku/operator-audit';
import { eventually } from '@polku/test-kit';
import { logger, retryTopic, SOURCE, startHarness, submitted, type Harness } from './harness';

interface View { id: string; eventId: string | null; state: string; replayCount: number; errorCode: string; consumer: string; consumerGroup: string; valueBytes: number; parseError: string | null }

describe('dead letters through the console API (real broker, PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(() => h?.close());

  const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object) =>
    h.app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });
  const list = async (query = '') => {
    const answer = await call('GET', `/v1/dead-letters?limit=500${query}`, h.keys.operator);
    if (answer.statusCode !== 200) throw new Error(answer.body);
    return answer.json<{ deadLetters: View[] }>().deadLetters;
  };
  /** The open dead letter of an event for the picky projection, once the register has it. */
  const openFor = (eventId: string) => eventually(async () => (await list('&state=open&group=projection.picky')).find((d) => d.eventId === eventId), `an open dead letter of ${eventId}`);
  const publish = async (event: CloudEvent) => h.bus.publish(SOURCE, event);
  const path = (id: string) => `/v1/dead-letters/${id}`;

  it('shows a poison record under dead letters: its size and why it does not parse, never its bytes', async () => {
    await h.producer.send(SOURCE, [{ key: 'poison', value: 'not json 010115A947V', headers: {} }]);
    const poison = await eventually(async () => {
      const found = (await list('&errorCode=EVENT_UNPARSEABLE')).filter((d) => d.consumer === 'projection.picky' || d.consumer === 'projection.other');
      return found.length === 2 ? found : undefined;
    }, 'the poison record dead-lettered by both projections');
    expect(poison[0]).toMatchObject({ state: 'open', valueBytes: 20, eventId: null });
    expect(poison[0]!.parseError).toMatch(/not JSON/);
    const detail = await call('GET', path(poison[0]!.id), h.keys.auditor);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain('010115A947V');
    expect(detail.json().headers['polku-dlq-error-code']).toBe('EVENT_UNPARSEABLE');
  });

  it('after the cause is fixed, replays to the group that failed alone, same event id, audited first', async () => {
    const event = submitted();
    h.failing.set(event.id, 'PICKY_BROKEN');
    await publish(event);
    const dead = await openFor(event.id);
    expect(dead).toMatchObject({ errorCode: 'PICKY_BROKEN', consumerGroup: 'projection.picky.g1', replayCount: 0 });
    await eventually(() => h.applied.other.some((a) => a.id === event.id), 'the other projection to apply the event');
    const sourceEnd = await h.endOffset(SOURCE);

    h.failing.delete(event.id);
    const replay = await call('POST', `${path(dead.id)}/replay`, h.keys.operator, { reason: 'cause-fixed', ticket: 'INC-1' });
    expect(replay.statusCode, replay.body).toBe(200);
    await eventually(() => h.applied.picky.find((a) => a.id === event.id), 'the picky projection to apply the replay');
    expect(h.applied.picky.filter((a) => a.id === event.id)).toEqual([{ id: event.id, topic: retryTopic('picky') }]);
    // The other group never saw it again, and nothing was republished to the source topic.
    expect(h.applied.other.filter((a) => a.id === event.id)).toHaveLength(1);
    expect(await h.endOffset(retryTopic('other'))).toBe(0);
    expect(await h.endOffset(SOURCE)).toBe(sourceEnd);
    expect((await list('&state=replayed')).map((d) => d.id)).toContain(dead.id);

    const audit = await h.readTopic(TOPICS.operatorAction, 2);
    const requested = audit.find((e) => (e.data as { target?: { deadLetterId?: string } }).target?.deadLetterId === dead.id)!;
    expect(requested.type).toBe('fi.polku.operator-action.requested.v1');
    expect(requested.data).toMatchObject({ action: 'dead-letter.replay', actor: { keyId: h.keyIds.operator, organisationId: 'polku-operations', systemId: 'test-operator' }, reason: { code: 'cause-fixed', ticket: 'INC-1' } });
    expect(audit.find((e) => e.type === 'fi.polku.operator-action.completed.v1' && e.subject === requested.subject)?.data).toMatchObject({ outcome: 'succeeded' });
  });

  it('parks a record that keeps failing after 3 replays and refuses a fourth', async () => {
    const event = submitted();
    h.failing.set(event.id, 'PICKY_STILL_BROKEN');
    await publish(event);
    let dead = await openFor(event.id);
    for (let replay = 1; replay <= 3; replay += 1) {
      expect((await call('POST', `${path(dead.id)}/replay`, h.keys.operator, { reason: 'cause-fixed' })).statusCode).toBe(200);
      const previous = dead.id;
      dead = await eventually(async () => (await list('&group=projection.picky')).find((d) => d.eventId === event.id && d.replayCount === replay), `the dead letter of replay ${replay}`);
      expect(dead.id).not.toBe(previous);
    }
    expect(dead).toMatchObject({ state: 'parked', replayCount: 3, errorCode: 'PICKY_STILL_BROKEN' });
    const refused = await call('POST', `${path(dead.id)}/replay`, h.keys.operator, { reason: 'cause-fixed' });
    expect([refused.statusCode, refused.headers['content-type'], refused.json().code]).toEqual([409, 'application/problem+json; charset=utf-8', 'DEAD_LETTER_PARKED']);
    const headers = (await call('GET', path(dead.id), h.keys.operator)).json<{ headers: Record<string, string> }>().headers;
    expect(headers[REPLAY_HEADERS.count]).toBe('3');
    expect(headers['polku-dlq-original-topic']).toBe(SOURCE);
  });

  it('bulk replay: the dry run and the run agree; a changed count and a second run on the topic are refused; a restarted runner goes on; cancel', async () => {
    const events = [submitted(), submitted(), submitted(), submitted(), submitted()];
    for (const e of events) h.failing.set(e.id, 'PICKY_BULK');
    for (const e of events) await publish(e);
    for (const e of events) await openFor(e.id);
    const filter = { topic: SOURCE, errorCode: 'PICKY_BULK' };

    const dry = await call('POST', '/v1/dead-letters/bulk-replays/dry-run', h.keys.operator, filter);
    expect(dry.json()).toEqual({ filter, matched: 5, byCause: [{ errorCode: 'PICKY_BULK', group: 'projection.picky', count: 5 }] });
    const stale = await call('POST', '/v1/dead-letters/bulk-replays', h.keys.operator, { ...filter, expectedCount: 4, reason: 'cause-fixed' });
    expect([stale.statusCode, stale.json().code]).toEqual([409, 'BULK_REPLAY_COUNT_CHANGED']);

    for (const e of events) h.failing.delete(e.id);
    const started = await call('POST', '/v1/dead-letters/bulk-replays', h.keys.operator, { ...filter, expectedCount: 5, ratePerSecond: 2, reason: 'cause-fixed' });
    expect(started.statusCode, started.body).toBe(202);
    const bulk = started.json<{ id: string; state: string }>();
    const second = await call('POST', '/v1/dead-letters/bulk-replays', h.keys.operator, { topic: SOURCE, expectedCount: 1, reason: 'cause-fixed' });
    expect([second.statusCode, second.json().code]).toEqual([409, 'BULK_REPLAY_RUNNING']);

    // One round of a console that then stops, and another console that takes over.
    const first = h.runner();
    expect(await first.tick()).toBe(2);
    await first.stop();
    const progress = async () => (await call('GET', `/v1/dead-letters/bulk-replays/${bulk.id}`, h.keys.auditor)).json<{ state: string; replayed: number; matched: number }>();
    expect(await progress()).toMatchObject({ state: 'running', replayed: 2, matched: 5 });
    const next = h.runner();
    while ((await progress()).state === 'running') await next.tick();
    expect(await progress()).toMatchObject({ state: 'completed', replayed: 5, matched: 5 });
    await eventually(() => events.every((e) => h.applied.picky.some((a) => a.id === e.id)) || undefined, 'the picky projection to apply every replay');
    expect((await call('POST', '/v1/dead-letters/bulk-replays/dry-run', h.keys.operator, filter)).json().matched).toBe(0);

    const more = [submitted(), submitted()];
    for (const e of more) h.failing.set(e.id, 'PICKY_CANCELLED');
    for (const e of more) await publish(e);
    for (const e of more) await openFor(e.id);
    const cancelling = await call('POST', '/v1/dead-letters/bulk-replays', h.keys.operator, { topic: SOURCE, errorCode: 'PICKY_CANCELLED', expectedCount: 2, reason: 'drill' });
    const id = cancelling.json<{ id: string }>().id;
    const cancelled = await call('POST', `/v1/dead-letters/bulk-replays/${id}/cancel`, h.keys.operator, { reason: 'mistake' });
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', replayed: 0 });
    expect(await h.runner().tick()).toBe(0);
  });

  it('refuses an action whose audit cannot be written (503, Retry-After), and changes nothing', async () => {
    const event = submitted();
    h.failing.set(event.id, 'PICKY_UNAUDITED');
    await publish(event);
    const dead = await openFor(event.id);
    const retryEnd = await h.endOffset(retryTopic('picky'));
    // The audit topic's broker is away: nothing answers on its port.
    const away = createBus({ brokers: [`127.0.0.1:${await freePort()}`], clientId: 'audit-away', logger });
    try {
      const app = await h.appWith(createOperatorAudit({ bus: away, logger, service: 'console', timeoutMs: 1000 }));
      const refused = await app.inject({ method: 'POST', url: `${path(dead.id)}/replay`, headers: { 'x-api-key': h.keys.operator }, payload: { reason: 'cause-fixed' } });
      expect([refused.statusCode, refused.json().code]).toEqual([503, 'AUDIT_UNAVAILABLE']);
      expect(refused.headers['retry-after']).toBeDefined();
      const park = await app.inject({ method: 'POST', url: `${path(dead.id)}/park`, headers: { 'x-api-key': h.keys.operator }, payload: { reason: 'poison-record' } });
      expect(park.statusCode).toBe(503);
    } finally {
      await away.close().catch(() => {});
    }
    expect((await call('GET', path(dead.id), h.keys.operator)).json().state).toBe('open');
    expect(await h.endOffset(retryTopic('picky'))).toBe(retryEnd);
  });

  it('needs a reason, names the field when it is missing, and lets only operators act', async () => {
    const event = submitted();
    h.failing.set(event.id, 'PICKY_REASON');
    await publish(event);
    const dead = await openFor(event.id);
    const missing = await call('POST', `${path(dead.id)}/replay`, h.keys.operator, { ticket: 'INC-9' });
    expect(missing.statusCode).toBe(400);
    expect(JSON.stringify(missing.json().errors)).toContain('reason');
    expect((await call('POST', `${path(dead.id)}/replay`, h.keys.auditor, { reason: 'cause-fixed' })).statusCode).toBe(403);
    expect((await call('GET', '/v1/dead-letters', h.keys.submitter)).statusCode).toBe(403);
    expect((await call('GET', '/v1/dead-letters', h.keys.auditor)).statusCode).toBe(200);
    const parked = await call('POST', `${path(dead.id)}/park`, h.keys.operator, { reason: 'poison-record' });
    expect(parked.json()).toEqual({ id: dead.id, state: 'parked' });
    expect((await call('POST', `${path(dead.id)}/replay`, h.keys.operator, { reason: 'cause-fixed' })).json().code).toBe('DEAD_LETTER_PARKED');
  });
});
