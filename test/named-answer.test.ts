import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@polku/contracts';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { consentBody, identityCodeOf, learningSupportReferral } from './fixtures';
import { eventually } from './support';

/**
 * Finding 7 of issue 11: a school system that refuses a delivery with an answer naming the pupil.
 * The answer used to be copied into the dead letter's headers and into log lines; now only its
 * status, its code and a redacted excerpt go anywhere.
 */
describe('an external system answer that names a person', () => {
  let run: RunningBackbone;

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 60_000, instances: { referralApi: 1, router: 1, consent: 1, adapterHost: 1 } });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('reaches no dead letter, no delivery.failed and no log line of any process', async () => {
    const fixture = learningSupportReferral();
    const child = fixture.body.child as { firstName: string; lastName: string; identityCode: string };
    const guardian = (fixture.body.guardians as Array<{ phone: string; email: string }>)[0]!;
    // What a school system might answer: the pupil named in fields and in free text.
    const answer = {
      code: 'E_NOT_ENROLLED',
      error: `Oppilas ${child.firstName} ${child.lastName} (${child.identityCode}) ei ole kirjoilla`,
      pupil: { firstName: child.firstName, lastName: child.lastName, hetu: child.identityCode },
      guardianContact: `${guardian.email}, ${guardian.phone}`,
    };
    const scripted = await call('POST', `${run.backbone.urls.school}/_stub/script`, { body: { answers: [422], body: answer } });
    expect(scripted.status).toBeLessThan(300);
    const recipients = [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }];
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const submitted = await call('POST', `${run.backbone.urls.referralApi}/v1/referrals`, { key: run.keys.school, body: fixture.body });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const id = submitted.body.id as string;

    const failed = await eventually(async () => {
      const records = await run.readTopics([TOPICS.delivery]);
      return records.find((r) => r.event?.type === 'fi.polku.delivery.failed.v1' && (r.event.data as { referralId: string }).referralId === id);
    }, 'delivery.failed', 30_000);
    expect((failed.event!.data as { lastError: unknown }).lastError).toMatchObject({ code: 'DELIVERY_REJECTED', httpStatus: 422, retryable: false });
    const letter = await eventually(async () => (await run.readTopics([`${TOPICS.referral}.dlq`])).find((r) => r.key === id), 'the dead letter', 30_000);
    // What is kept still tells an operator what happened.
    expect(letter.headers['polku-dlq-error-message']).toContain('HTTP 422 (code E_NOT_ENROLLED)');

    const personal = [child.firstName, child.lastName, child.identityCode, guardian.email, guardian.phone];
    const leaksIn = (text: string) => personal.filter((value) => text.includes(value));
    expect(leaksIn(failed.raw)).toEqual([]);
    expect(leaksIn(letter.raw + JSON.stringify(letter.headers))).toEqual([]);
    // Every line every process wrote, the adapter host's warning and error lines included.
    const files = readdirSync(run.logDir);
    expect(files.length).toBeGreaterThan(0);
    const leaks = files.flatMap((file) => leaksIn(readFileSync(join(run.logDir, file), 'utf8')).map((value) => `${file}: ${value}`));
    expect(leaks).toEqual([]);
  });
});
