import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polku/contracts';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { uniqueChildIdentityCode } from '@polku/test-kit';
import { teacherReferral } from '../../testing/fixtures';
import { logLines, readRecords, startHarness, type Harness } from '../../testing/harness';

describe('POST /v1/referrals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const submit = (body: unknown, key: string | undefined, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/v1/referrals', payload: body as object, headers: key ? { 'x-api-key': key, ...headers } : headers });

  it('answers 202, keeps the details encrypted in the vault, and publishes an event with no personal data', async () => {
    const fixture = teacherReferral();
    const answer = await submit(fixture.body, h.keys.school);
    expect(answer.statusCode, answer.body).toBe(202);
    const { id, status, links } = answer.json<{ id: string; status: string; links: { self: string } }>();
    expect({ status, links }).toEqual({ status: 'submitted', links: { self: `/v1/referrals/${id}` } });
    expect(answer.headers.location).toBe(`http://api.test/v1/referrals/${id}`);

    const record = (await readRecords(h.topic, 1)).find((r) => r.key?.toString() === id)!;
    const raw = record.value!.toString();
    expect(fixture.personalValues.filter((value) => raw.includes(value))).toEqual([]);
    const event = JSON.parse(raw) as CloudEvent;
    expect(event).toMatchObject({ type: 'fi.polku.referral.submitted.v1', source: '/polku/referral-api', subject: id, correlationid: id, legalbasis: 'consent' });
    expect(event.data).toEqual({
      referralId: id,
      subjectRef: subjectRefOf(parseIdentityCode(fixture.body.child.identityCode)!.normalised, h.pseudonymKey),
      needCodes: ['school-attendance', 'mental-health'],
      urgency: 'soon',
      municipalityCode: '179',
      ageBand: expect.stringMatching(/^(7-12|13-15)$/),
      language: 'fi',
      submitter: { organisationId: 'jyvaskyla-education', role: 'teacher' },
      legalBasis: 'consent',
      submittedAt: event.time,
    });

    const { rows } = await h.db.query<{ key_id: string; sealed: Buffer }>('SELECT key_id, sealed FROM vault_records WHERE referral_id = $1', [id]);
    expect(rows[0]!.key_id).toBe(h.vaultKeys.current.id);
    expect(fixture.personalValues.filter((value) => rows[0]!.sealed.toString('latin1').includes(value))).toEqual([]);
    const read = await h.vault.get<{ child: { lastName: string }; description: string; submitter: object }>(id);
    const details = read?.state === 'present' ? read.details : undefined;
    expect(details?.child.lastName).toBe(fixture.body.child.lastName);
    expect(details?.description).toBe(fixture.body.description);
    expect(details?.submitter).toEqual({ role: 'teacher', userRef: 'teacher-0042', organisationId: 'jyvaskyla-education', systemId: 'test-school' });
  });

  it('gives the same child the same subject reference across referrals', async () => {
    const first = teacherReferral();
    const second = { ...teacherReferral().body, child: first.body.child };
    const ids = [(await submit(first.body, h.keys.school)).json<{ id: string }>().id, (await submit(second, h.keys.otherSchool)).json<{ id: string }>().id];
    const records = await readRecords(h.topic, 3);
    const refs = ids.map((id) => (JSON.parse(records.find((r) => r.key?.toString() === id)!.value!.toString()) as CloudEvent).data['subjectRef']);
    expect(refs[0]).toMatch(/^sr_/);
    expect(refs[1]).toBe(refs[0]);
  });

  it('takes a verified self-referral without an identity code, the subject being the identified person', async () => {
    const { body } = teacherReferral();
    const identityCode = uniqueChildIdentityCode(2009);
    const selfReferral = { ...body, submitter: { role: 'resident' }, child: { firstName: 'Veeti', lastName: 'Testilä' }, guardians: [], legalBasis: 'consent' };
    const answer = await submit(selfReferral, h.keys.residentPortal, { 'x-polku-person-assertion': await h.eService.assert({ identityCode }) });
    expect(answer.statusCode, answer.body).toBe(202);
    const id = answer.json<{ id: string }>().id;
    const records = await readRecords(h.topic, 4);
    const data = (JSON.parse(records.find((r) => r.key?.toString() === id)!.value!.toString()) as CloudEvent).data;
    expect(data['subjectRef']).toBe(subjectRefOf(parseIdentityCode(identityCode)!.normalised, h.pseudonymKey));
    expect(data['ageBand']).toMatch(/^(16-17|18-29)$/);
    expect(data['submitter']).toEqual({ organisationId: 'keski-suomen-hyvinvointialue', role: 'resident' });
  });

  it('answers a retried submit with the first answer and creates nothing new, also when the retries race', async () => {
    const { body } = teacherReferral();
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const first = await submit(body, h.keys.school, headers);
    await readRecords(h.topic, 1);
    const before = await h.topicSize();
    const [second, third] = await Promise.all([submit(body, h.keys.school, headers), submit(body, h.keys.school, headers)]);
    for (const retry of [second, third]) {
      expect(retry.statusCode).toBe(202);
      expect(retry.json()).toEqual(first.json());
      expect(retry.headers['idempotent-replayed']).toBe('true');
    }
    expect(await h.topicSize()).toBe(before);

    const raced = { 'idempotency-key': `race-${Date.now()}` };
    const answers = await Promise.all([submit(body, h.keys.school, raced), submit(body, h.keys.school, raced)]);
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    expect(answers[0]!.json<{ id: string }>().id).toBe(answers[1]!.json<{ id: string }>().id);
    expect(await h.topicSize()).toBe(before + 1);
  });

  it('refuses the same Idempotency-Key with another body, but lets another organisation use the same key', async () => {
    const headers = { 'idempotency-key': `reuse-${Date.now()}` };
    expect((await submit(teacherReferral().body, h.keys.school, headers)).statusCode).toBe(202);
    const reused = await submit(teacherReferral().body, h.keys.school, headers);
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', type: 'urn:polku:problem:idempotency-key-reused' });
    expect((await submit(teacherReferral().body, h.keys.otherSchool, headers)).statusCode).toBe(202);
  });

  it('names every field the schema refuses in one 400', async () => {
    const { body } = teacherReferral();
    const bad = { ...body, child: { ...body.child, lastName: undefined }, needCodes: ['bullying', 'flying-lessons'], urgency: 'yesterday', shoeSize: 42 };
    const answer = await submit(bad, h.keys.school);
    expect(answer.statusCode).toBe(400);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    const fields = answer.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/child/lastName', '/needCodes/1', '/urgency', '/shoeSize']));
  });

  it('names an unknown municipality, a wrong identity code and a missing one without echoing the code', async () => {
    const { body } = teacherReferral();
    const code = body.child.identityCode;
    const wrongCheck = `${code.slice(0, 10)}${code.endsWith('A') ? 'B' : 'A'}`;
    const answer = await submit({ ...body, municipalityCode: '999', child: { ...body.child, identityCode: wrongCheck } }, h.keys.school);
    expect(answer.statusCode).toBe(400);
    expect(answer.json<{ errors: { field: string }[] }>().errors.map((e) => e.field).sort()).toEqual(['/child/identityCode', '/municipalityCode']);
    expect(answer.body).not.toContain(wrongCheck);

    const { identityCode: _omitted, ...withoutCode } = body.child;
    const missing = await submit({ ...body, child: withoutCode }, h.keys.school);
    expect(missing.json()).toMatchObject({ status: 400, errors: [{ field: '/child/identityCode', message: expect.stringContaining('resident') }] });
  });

  it('answers 401 without a valid key and 403 to a key without the submitter role', async () => {
    const { body } = teacherReferral();
    expect((await submit(body, undefined)).statusCode).toBe(401);
    expect((await submit(body, 'pk_aaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')).statusCode).toBe(401);
    const forbidden = await submit(body, h.keys.recipientOnly);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('serves its OpenAPI document', async () => {
    const doc = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    const paths = doc.json<{ paths: Record<string, object> }>().paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/referrals', '/v1/referrals/{id}']));
  });

  it('wrote no name, contact, description or identity code of any fixture to the log', () => {
    expect(logLines.some((line) => line.includes('referral submitted'))).toBe(true);
    // An identity code in the shape the logger masks (with word boundaries: a UUID's digits must not count).
    for (const line of logLines) expect(line).not.toMatch(/Testilä|example\.invalid|Poissaoloja|\b\d{6}[-+A-FU-Y]9\d\d[0-9A-Y]\b/);
  });
});
