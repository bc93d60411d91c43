import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '@polku/contracts';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { uniqueChildIdentityCode } from '@polku/test-kit';
import { teacherReferral } from '../../testing/fixtures';
import { logLines, readRecords, startHarness, type Harness } from '../../testing/harness';

/** Finding 1 of issue 11: the key (and the e-service's verified assertion) says who submits, never the body. */
describe('POST /v1/referrals: the submitter comes from the key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const submit = (body: unknown, key: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/v1/referrals', payload: body as object, headers: { 'x-api-key': key, ...headers } });
  const asPerson = async (identityCode: string, guardianOf?: string[]) => ({ 'x-polku-person-assertion': await h.eService.assert({ identityCode, ...(guardianOf ? { guardianOf } : {}) }) });
  const about = (identityCode: string, role = 'resident') => {
    const { body } = teacherReferral();
    return { ...body, submitter: { role }, child: { ...body.child, identityCode }, needCodes: ['loneliness-leisure'] };
  };
  const eventOf = async (id: string) => {
    const records = await readRecords(h.topic, 1);
    const record = records.find((r) => r.key?.toString() === id);
    return record ? (JSON.parse(record.value!.toString()) as CloudEvent).data : undefined;
  };

  it('refuses a school key that claims to be a resident, and stores nothing', async () => {
    const before = await h.topicSize();
    const { body } = teacherReferral();
    for (const role of ['resident', 'guardian']) {
      const answer = await submit({ ...body, submitter: { role }, needCodes: ['loneliness-leisure'] }, h.keys.school);
      expect([answer.statusCode, answer.json().code]).toEqual([403, 'SUBMITTER_ROLE_NOT_YOURS']);
      expect(answer.headers['content-type']).toContain('application/problem+json');
    }
    expect(await h.topicSize()).toBe(before);
    expect(logLines.filter((line) => line.includes(body.child.identityCode))).toEqual([]);
  });

  it('refuses the resident e-service\'s key a professional role, and a person\'s referral without the assertion', async () => {
    const professional = await submit(teacherReferral().body, h.keys.residentPortal, await asPerson(uniqueChildIdentityCode(2000)));
    expect([professional.statusCode, professional.json().code]).toEqual([403, 'SUBMITTER_ROLE_NOT_YOURS']);
    const unasserted = await submit(about(uniqueChildIdentityCode(2000)), h.keys.residentPortal);
    expect([unasserted.statusCode, unasserted.json().code]).toEqual([401, 'PERSON_ASSERTION_REQUIRED']);
  });

  it('takes a person\'s own referral as a self-referral, under their own subject reference', async () => {
    const person = uniqueChildIdentityCode(2000);
    const answer = await submit(about(person), h.keys.residentPortal, await asPerson(person));
    expect(answer.statusCode, answer.body).toBe(202);
    const data = await eventOf(answer.json().id);
    expect(data).toMatchObject({ submitter: { organisationId: 'keski-suomen-hyvinvointialue', role: 'resident' }, subjectRef: subjectRefOf(parseIdentityCode(person)!.normalised, h.pseudonymKey) });
  });

  it('takes a guardian\'s referral about their child as the guardian\'s, not a self-referral', async () => {
    const parent = uniqueChildIdentityCode(1985);
    const child = uniqueChildIdentityCode(2015);
    const answer = await submit(about(child), h.keys.residentPortal, await asPerson(parent, [child]));
    expect(answer.statusCode, answer.body).toBe(202);
    const data = await eventOf(answer.json().id);
    expect(data).toMatchObject({ submitter: { role: 'guardian' }, subjectRef: subjectRefOf(parseIdentityCode(child)!.normalised, h.pseudonymKey) });
  });

  it('refuses a person\'s referral about someone else\'s child, and a guardian\'s about a child of age', async () => {
    const parent = uniqueChildIdentityCode(1985);
    const stranger = await submit(about(uniqueChildIdentityCode(2015)), h.keys.residentPortal, await asPerson(parent, [uniqueChildIdentityCode(2015)]));
    expect([stranger.statusCode, stranger.json().code]).toEqual([403, 'NOT_THE_PERSON_OR_THEIR_CHILD']);
    const adult = uniqueChildIdentityCode(2000);
    const ofAge = await submit(about(adult, 'guardian'), h.keys.residentPortal, await asPerson(parent, [adult]));
    expect([ofAge.statusCode, ofAge.json().code]).toEqual([403, 'CHILD_OF_AGE']);
  });
});
