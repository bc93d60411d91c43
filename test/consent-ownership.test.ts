import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@polku/contracts';
import { issueApiKeys } from '@polku/launcher';
import { syntheticIdentityCode } from '@polku/personal-data';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { consentBody, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually } from './support';

const NGO = 'keski-suomen-nuorisotuki';
const MENTORING = 'nuorisotuki-mentoring';

/** Finding 2 and the 18th-birthday rule of finding 5, over the running backbone. */
describe('a consent ledger only its owners change, end to end', () => {
  let run: RunningBackbone;
  let keys: Record<'ngoMentoring' | 'familyCentre', string>;
  const consents = () => run.backbone.urls.consent;
  const api = () => run.backbone.urls.referralApi;

  async function grant(fixture: ReferralFixture, options: Parameters<typeof consentBody>[1], path = '/v1/consents') {
    const answer = await call('POST', `${consents()}${path}`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), options) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.consent as { consentId: string; subjectRef: string; validUntil?: string; status: string };
  }

  async function submit(fixture: ReferralFixture): Promise<string> {
    const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    return answer.body.id;
  }

  async function timelineReaches(id: string, type: string) {
    return eventually(async () => {
      const answer = await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
      return answer.status === 200 && answer.body.timeline.some((e: { type: string }) => e.type === type) ? answer.body : undefined;
    }, `${type} in the timeline of ${id}`, 30_000);
  }

  const decide = async (subjectRef: string, at?: string) =>
    (await call('POST', `${consents()}/v1/decisions`, {
      key: run.keys.operator,
      body: { subjectRef, recipient: { organisationId: NGO, serviceId: MENTORING }, dataCategories: ['contact'], purpose: 'service-provision', ...(at ? { at } : {}) },
    })).body;

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 600_000 });
    keys = await issueApiKeys(run.databaseUrl, {
      ngoMentoring: { organisationId: NGO, systemId: 'mentoring-e2e', roles: ['recipient'], services: [MENTORING] },
      familyCentre: { organisationId: 'keski-suomen-hyvinvointialue', systemId: 'perhekeskus-e2e', roles: ['recipient'], services: ['ksh-family-centre-jyvaskyla'] },
    });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it("refuses another organisation's withdrawal of a minor's ban: the ban holds and the referral stays blocked", async () => {
    const fixture = learningSupportReferral({ needCodes: ['loneliness-leisure'] });
    await grant(fixture, { recipients: [{ organisationId: NGO }] });
    const ban = await grant(fixture, { recipients: [{ sector: 'ngo' }], kind: 'minor', validForMs: 365 * 24 * 3600 * 1000 }, '/v1/bans');
    const id = await submit(fixture);
    await timelineReaches(id, 'awaiting-consent');

    for (const key of [run.keys.otherSchool, keys.ngoMentoring]) {
      const refused = await call('POST', `${consents()}/v1/consents/${ban.consentId}/withdraw`, { key });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.code).toBe('CONSENT_WITHDRAW_FORBIDDEN');
    }
    expect(await decide(ban.subjectRef)).toMatchObject({ allowed: false, reason: 'banned' });
    const details = await call('GET', `${api()}/v1/referrals/${id}/details`, { key: keys.ngoMentoring });
    expect(details.status).toBe(403);
    const status = await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
    expect(status.body.state).toBe('awaiting-consent');
    expect(status.body.timeline.map((e: { type: string }) => e.type)).not.toContain('delivered');
  });

  it("ends a guardian's permission on the child's 18th birthday, whatever end was asked", async () => {
    const now = new Date();
    // Turns 18 tomorrow (UTC); on 28 February of a leap year, the day after tomorrow (no 29 February 18 years back).
    const ahead = now.getUTCMonth() === 1 && now.getUTCDate() === 28 ? 2 : 1;
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + ahead));
    const birth = { year: tomorrow.getUTCFullYear() - 18, month: tomorrow.getUTCMonth() + 1, day: tomorrow.getUTCDate() };
    const code = syntheticIdentityCode(birth, 900 + Math.floor(Math.random() * 100));
    const answer = await call('POST', `${consents()}/v1/consents`, { key: run.keys.school, body: consentBody(code, { recipients: [{ organisationId: NGO }], validForMs: 365 * 24 * 3600 * 1000 }) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const consent = answer.body.consent as { subjectRef: string; validUntil: string };
    expect(consent.validUntil).toBe(tomorrow.toISOString());
    const eve = new Date(tomorrow.getTime() - 1000).toISOString();
    expect(await decide(consent.subjectRef, eve)).toMatchObject({ allowed: true });
    expect(await decide(consent.subjectRef, tomorrow.toISOString())).toMatchObject({ allowed: false, reason: 'expired' });
  });

  it('refuses a recipient recording a permission naming itself without evidence from the grantor', async () => {
    const fixture = learningSupportReferral();
    const refused = await call('POST', `${consents()}/v1/consents`, { key: keys.ngoMentoring, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: NGO }], evidenceRef: null }) });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('SELF_PERMISSION_NEEDS_EVIDENCE');
    const withEvidence = await call('POST', `${consents()}/v1/consents`, { key: keys.ngoMentoring, body: consentBody(identityCodeOf(fixture), { recipients: [{ organisationId: NGO }], evidenceRef: 'signed-form-e2e-1' }) });
    expect(withEvidence.status, JSON.stringify(withEvidence.body)).toBe(201);
  });

  it('refuses a lookup by an unrelated professional and logs a permitted one on the disclosure topic', async () => {
    const fixture = learningSupportReferral({ needCodes: ['loneliness-leisure'] });
    const id = await submit(fixture);
    await timelineReaches(id, 'routed');
    const consent = await grant(fixture, { recipients: [{ organisationId: NGO }] });
    const lookup = (key: string) => call('POST', `${consents()}/v1/subjects/consents/lookup`, { key, body: { identityCode: identityCodeOf(fixture) } });

    for (const key of [keys.familyCentre, run.keys.otherSchool, run.keys.school, run.keys.operator]) {
      const refused = await lookup(key);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('CONSENT_LOOKUP_FORBIDDEN');
    }
    const allowed = await eventually(async () => {
      const answer = await lookup(keys.ngoMentoring);
      return answer.status === 200 ? answer : undefined;
    }, 'the routed service may look up the consents');
    expect(allowed.body.consents.map((c: { consentId: string }) => c.consentId)).toEqual([consent.consentId]);

    const entry = await eventually(async () => {
      const records = await run.readTopics([TOPICS.disclosure]);
      return records.find((r) => r.event?.type === 'fi.polku.disclosure.consents-viewed.v1' && r.event.subject === consent.subjectRef);
    }, 'the lookup on the disclosure log');
    expect(entry.event!.data).toMatchObject({
      subjectRef: consent.subjectRef,
      viewer: { kind: 'organisation', organisationId: NGO, systemId: 'mentoring-e2e', serviceIds: [MENTORING] },
      ground: 'referral-routed-to-service',
      shown: 1,
    });
    expect(JSON.stringify(entry.event)).not.toContain(identityCodeOf(fixture));
  });
});
