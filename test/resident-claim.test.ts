import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@polku/contracts';
import { issueApiKeys } from '@polku/launcher';
import { uniqueChildIdentityCode } from '@polku/test-kit';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { learningSupportReferral } from './fixtures';
import { eventually } from './support';

/**
 * Finding 1 of issue 11, over the running backbone: a body field decided whether a referral was
 * the resident's own request. Now the key and the resident e-service's verified assertion decide,
 * and a key's life (expiry, revoke, rotation) is enforced by every request.
 */
describe('credentials define the caller, end to end', () => {
  let run: RunningBackbone;
  const accepted: string[] = [];
  const api = () => run.backbone.urls.referralApi;
  const resident = () => run.backbone.residentEService;
  const keyIdOf = (key: string) => /^pk_([a-z0-9]{12})\./.exec(key)![1]!;

  /** A referral about a person, needing company and leisure: an NGO youth service leads, and an NGO always needs consent. */
  const leisure = (identityCode: string, role: string) => {
    const { body } = learningSupportReferral({ needCodes: ['loneliness-leisure'], submitter: { role } });
    return { ...body, child: { ...(body.child as object), identityCode } };
  };

  async function asPerson(identityCode: string, guardianOf?: string[]) {
    return { 'x-polku-person-assertion': await resident().eService.assert({ identityCode, ...(guardianOf ? { guardianOf } : {}) }) };
  }

  async function submitAsResident(body: unknown, headers: Record<string, string>) {
    return call('POST', `${api()}/v1/referrals`, { key: resident().key, body, headers });
  }

  async function timelineReaches(id: string, type: string) {
    return eventually(async () => {
      const answer = await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
      return answer.status === 200 && answer.body.timeline.some((e: { type: string }) => e.type === type) ? answer.body : undefined;
    }, `${type} in the timeline of ${id}`, 30_000);
  }

  const ngoDeliveries = async () => (await call('GET', `${run.backbone.urls.ngo}/_stub/deliveries`)).body.deliveries as Array<{ referralId: string }>;
  const status = (key: string) => call('GET', `${api()}/v1/referrals/00000000-0000-4000-8000-000000000000`, { key });

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 600_000 });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('refuses a school key that posts submitter.role resident about a child, with no consent: nothing routed or delivered', async () => {
    const claim = { ...learningSupportReferral({ needCodes: ['loneliness-leisure'] }).body, submitter: { role: 'resident' } };
    const refused = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: claim });
    expect([refused.status, refused.body.code]).toEqual([403, 'SUBMITTER_ROLE_NOT_YOURS']);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');

    // A verified resident's own self-referral with the same need goes all the way to the NGO;
    // by then the refused one would have too, had it been taken.
    const person = uniqueChildIdentityCode(2010);
    const own = await submitAsResident(leisure(person, 'resident'), await asPerson(person));
    expect(own.status, JSON.stringify(own.body)).toBe(202);
    accepted.push(own.body.id);
    await timelineReaches(own.body.id, 'delivered');
    expect((await ngoDeliveries()).map((d) => d.referralId)).toEqual([own.body.id]);
    const submitted = (await run.readTopics([TOPICS.referral]))
      .filter((r) => r.event?.type === 'fi.polku.referral.submitted.v1')
      .map((r) => r.event!.data as { referralId: string; submitter: { role: string; organisationId: string } });
    expect(submitted.map((d) => d.referralId)).toEqual([own.body.id]);
    expect(submitted[0]!.submitter).toEqual({ organisationId: 'keski-suomen-hyvinvointialue', role: 'resident' });
  });

  it('takes a guardian\'s referral about their child through the consent gate, and refuses one about someone else\'s child', async () => {
    const parent = uniqueChildIdentityCode(1984);
    const child = uniqueChildIdentityCode(2014);
    const mine = await submitAsResident(leisure(child, 'guardian'), await asPerson(parent, [child]));
    expect(mine.status, JSON.stringify(mine.body)).toBe(202);
    accepted.push(mine.body.id);
    // Not a self-referral: the NGO needs consent, so the referral waits for it.
    const waiting = await timelineReaches(mine.body.id, 'awaiting-consent');
    expect(waiting.state).toBe('awaiting-consent');
    expect((await ngoDeliveries()).map((d) => d.referralId)).not.toContain(mine.body.id);

    const someoneElses = await submitAsResident(leisure(uniqueChildIdentityCode(2014), 'guardian'), await asPerson(parent, [child]));
    expect([someoneElses.status, someoneElses.body.code]).toEqual([403, 'NOT_THE_PERSON_OR_THEIR_CHILD']);
    const unasserted = await submitAsResident(leisure(child, 'guardian'), {});
    expect([unasserted.status, unasserted.body.code]).toEqual([401, 'PERSON_ASSERTION_REQUIRED']);
  });

  it('answers 401 KEY_EXPIRED to an expired key and 401 KEY_REVOKED to a revoked one', async () => {
    const keys = await issueApiKeys(run.databaseUrl, {
      expired: { organisationId: 'laukaa-education', systemId: 'expired-e2e', roles: ['submitter'], expiresAt: new Date(Date.now() - 1000) },
      doomed: { organisationId: 'laukaa-education', systemId: 'doomed-e2e', roles: ['submitter'] },
    });
    const expired = await status(keys.expired);
    expect([expired.status, expired.body.code]).toEqual([401, 'KEY_EXPIRED']);
    expect(expired.headers.get('content-type')).toContain('application/problem+json');

    expect((await status(keys.doomed)).status).toBe(404);
    const revoke = await call('POST', `${api()}/v1/keys/${keyIdOf(keys.doomed)}/revoke`, { key: run.keys.operator, body: { reason: 'e2e: system retired' } });
    expect(revoke.status, JSON.stringify(revoke.body)).toBe(200);
    const revoked = await status(keys.doomed);
    expect([revoked.status, revoked.body.code]).toEqual([401, 'KEY_REVOKED']);
  });

  it('keeps a rotated key\'s old secret working during the overlap, beside the new one', async () => {
    const { old } = await issueApiKeys(run.databaseUrl, { old: { organisationId: 'laukaa-education', systemId: 'rotating-e2e', roles: ['submitter'] } });
    const rotated = await call('POST', `${api()}/v1/keys/${keyIdOf(old)}/rotate`, { key: run.keys.operator, body: { reason: 'e2e: yearly rotation' } });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(keyIdOf(rotated.body.key)).toBe(keyIdOf(old));
    expect((await status(old)).status).toBe(404);
    expect((await status(rotated.body.key)).status).toBe(404);
    const listed = await call('GET', `${api()}/v1/keys`, { key: run.keys.operator });
    expect(listed.body.keys.find((k: { keyId: string }) => k.keyId === keyIdOf(old))).toMatchObject({ state: 'active', previousSecretUntil: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(old.split('.')[1]);
  });
});
