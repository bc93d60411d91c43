import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProjection } from '@polku/projection';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { uniqueChildIdentityCode } from '@polku/test-kit';
import { eventually, startHarness, type Harness } from '../../testing/harness';

const DAY = 86_400_000;

describe('the disclosure log: GET /v1/subjects/:ref/disclosures and POST /v1/subjects/disclosures/lookup', () => {
  let h: Harness;
  let projection: RunningProjection;
  const identityCode = uniqueChildIdentityCode(2013);
  let subject: string;
  const other = `sr_${randomUUID().replaceAll('-', '').padEnd(43, 'x')}`;
  const now = Date.now();

  function logged(type: 'disclosed' | 'refused', subjectRef: string, at: number, extra: Record<string, unknown>): CloudEvent {
    const data = {
      disclosureId: randomUUID(), subjectRef, referralId: randomUUID(),
      recipient: { organisationId: 'keski-suomen-setlementti', systemId: 'case-notes' },
      dataCategories: ['contact'], purpose: 'service-provision', at: new Date(at).toISOString(), ...extra,
    };
    return createEvent(`fi.polku.disclosure.${type}.v1`, { source: '/polku/test', subject: subjectRef, data }) as unknown as CloudEvent;
  }

  beforeAll(async () => {
    h = await startHarness();
    subject = subjectRefOf(parseIdentityCode(identityCode)!.normalised, h.pseudonymKey);
    projection = await h.startDisclosureProjection();
    // Published out of time order; the log answers in time order.
    await h.bus.publishMany(h.disclosureTopic, [
      logged('disclosed', subject, now - DAY, { basis: { kind: 'statute', statute: 'lsl-25' }, purpose: 'child-welfare-assessment' }),
      logged('refused', subject, now - 10 * DAY, { reasonCode: 'no-consent' }),
      logged('disclosed', subject, now - 3 * 365 * DAY, { basis: { kind: 'consent', consentId: randomUUID() } }),
      logged('refused', other, now - 2 * DAY, { reasonCode: 'ban-in-force' }),
    ]);
    // The two subjects' records may sit on different partitions: wait for both to be projected.
    const count = async (ref: string) => (await auditorView(ref)).json<{ disclosures?: unknown[] }>().disclosures?.length ?? 0;
    await eventually(async () => ((await count(subject)) === 2 && (await count(other)) === 1 ? true : undefined), 'the log projected');
  });
  afterAll(async () => {
    await projection?.stop();
    await h?.close();
  });

  const auditorView = (ref: string, query = '', key = h?.keys.auditor) => h.app.inject({ method: 'GET', url: `/v1/subjects/${ref}/disclosures${query}`, headers: { 'x-api-key': key! } });
  /** The resident e-service asking, with its signed assertion of the person (by default the subject). */
  const lookup = async (payload: object, key = h.keys.residentView, person = identityCode) => h.app.inject({
    method: 'POST', url: '/v1/subjects/disclosures/lookup', payload,
    headers: { 'x-api-key': key, 'x-polku-person-assertion': await h.eService.assert({ identityCode: person }) },
  });

  it('answers an auditor with the subject\'s releases and refusals of the last two years, oldest first, and nothing of others', async () => {
    const answer = await auditorView(subject);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<{ subjectRef: string; from: string; to: string; disclosures: Array<Record<string, unknown>> }>();
    expect(body.subjectRef).toBe(subject);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBeGreaterThanOrEqual(2 * 365 * DAY);
    expect(body.disclosures.map((e) => e['outcome'])).toEqual(['refused', 'disclosed']);
    expect(body.disclosures.every((e) => e['subjectRef'] === subject)).toBe(true);
    expect(body.disclosures[0]).toMatchObject({ reasonCode: 'no-consent', recipient: { organisationId: 'keski-suomen-setlementti', systemId: 'case-notes' }, purpose: 'service-provision', dataCategories: ['contact'] });
    expect(body.disclosures[1]).toMatchObject({ basis: { kind: 'statute', statute: 'lsl-25', label: 'LSL 25 §' }, purpose: 'child-welfare-assessment' });
  });

  it('narrows to from and to', async () => {
    const from = new Date(now - 5 * DAY).toISOString();
    const answer = await auditorView(subject, `?from=${encodeURIComponent(from)}`);
    expect(answer.json<{ disclosures: unknown[] }>().disclosures).toHaveLength(1);
    const byDate = await auditorView(subject, `?from=${new Date(now - 11 * DAY).toISOString().slice(0, 10)}&to=${new Date(now - 9 * DAY).toISOString().slice(0, 10)}`);
    expect(byDate.json<{ disclosures: Array<{ outcome: string }> }>().disclosures.map((e) => e.outcome)).toEqual(['refused']);
  });

  it('answers the resident\'s own lookup by identity code, the same as the auditor sees', async () => {
    const answer = await lookup({ identityCode });
    expect(answer.statusCode, answer.body).toBe(200);
    const mine = answer.json<{ subjectRef: string; disclosures: unknown[] }>();
    const audited = (await auditorView(subject)).json<{ subjectRef: string; disclosures: unknown[] }>();
    expect(mine.subjectRef).toBe(subject);
    expect(mine.disclosures).toEqual(audited.disclosures);
  });

  it('refuses a from more than two years back, a to before from, and dates that are not dates, naming the field', async () => {
    const old = await auditorView(subject, `?from=${new Date(now - 3 * 365 * DAY).toISOString().slice(0, 10)}`);
    expect(old.statusCode).toBe(400);
    expect(old.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: '/from', in: 'querystring' }] });
    expect((await auditorView(subject, '?from=2026-01-02&to=2026-01-01')).json()).toMatchObject({ status: 400, errors: [{ field: '/to' }] });
    expect((await auditorView(subject, '?from=yesterday')).json()).toMatchObject({ status: 400, errors: [{ field: '/from' }] });
    expect((await lookup({ identityCode, from: '2001-01-01' })).json()).toMatchObject({ status: 400, errors: [{ field: '/from', in: 'body' }] });
  });

  it('lets only auditors read by subject reference and only resident e-services look up, without echoing a code', async () => {
    for (const key of [h.keys.lead, h.keys.operator, h.keys.residentView]) expect((await auditorView(subject, '', key)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await lookup({ identityCode }, h.keys.auditor)).statusCode).toBe(403);
    const wrong = `${identityCode.slice(0, 10)}${identityCode.endsWith('A') ? 'B' : 'A'}`;
    // The e-service vouches for one person: another person's log stays closed to them.
    const someoneElse = await lookup({ identityCode }, h.keys.residentView, uniqueChildIdentityCode(1990));
    expect(someoneElse.statusCode).toBe(403);
    expect(someoneElse.json()).toMatchObject({ code: 'NOT_THE_PERSON_OR_THEIR_CHILD' });
    const bad = await lookup({ identityCode: wrong });
    expect(bad.json()).toMatchObject({ status: 400, errors: [{ field: '/identityCode' }] });
    expect(bad.body).not.toContain(wrong);
    expect((await auditorView('not-a-ref')).statusCode).toBe(400);
  });
});
