import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@polku/contracts';
import { issueApiKeys } from '@polku/launcher';
import type { StandInResidentEService } from '@polku/service-kit/stand-in-e-service';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { consentBody, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually } from './support';

const NGO = 'keski-suomen-nuorisotuki';
const DISCLOSED = 'fi.polku.disclosure.disclosed.v2';

interface LoggedRelease {
  source: string;
  data: { referralId: string; deliveryId?: string; dataCategories: string[]; fields: string[]; recipient: { organisationId: string } };
}

/**
 * Issue 11, item 4 (release and log agree) and item 8 (right of access), over the running
 * backbone: what is released is exactly what its categories allow, the log lists exactly that,
 * a retried delivery is one disclosure, and a resident sees their referrals, consents and who saw
 * their data through the resident e-service.
 */
describe('release, its log and the right of access, end to end', () => {
  let run: RunningBackbone;
  let eService: StandInResidentEService;
  let keys: Record<'ngo' | 'residentPortal', string>;
  const api = () => run.backbone.urls.referralApi;
  /** The NGO referral whose consent allows contact only, shared by the first and the last test. */
  let contactOnly: { fixture: ReferralFixture; id: string; consentId: string } | undefined;

  async function submit(fixture: ReferralFixture): Promise<string> {
    const answer = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    return answer.body.id;
  }

  async function grant(fixture: ReferralFixture, options: Parameters<typeof consentBody>[1]): Promise<string> {
    const answer = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), options) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.consent.consentId;
  }

  async function timelineReaches(id: string, type: string) {
    return eventually(async () => {
      const answer = await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
      return answer.status === 200 && answer.body.timeline.some((e: { type: string }) => e.type === type) ? answer.body : undefined;
    }, `${type} in the timeline of ${id}`, 30_000);
  }

  async function releasesOf(referralId: string): Promise<LoggedRelease[]> {
    const records = await run.readTopics([TOPICS.disclosure]);
    return records.flatMap((r) => (r.event?.type === DISCLOSED && (r.event.data as LoggedRelease['data']).referralId === referralId ? [{ source: r.event.source, data: r.event.data as LoggedRelease['data'] }] : []));
  }

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 600_000, instances: { referralApi: 1 } });
    // Every service trusts the launcher's stand-in resident e-service (as production trusts the real one).
    eService = run.backbone.residentEService.eService;
    keys = await issueApiKeys(run.databaseUrl, {
      ngo: { organisationId: NGO, systemId: 'case-notes-release-e2e', roles: ['recipient'], services: ['nuorisotuki-mentoring'] },
      residentPortal: { organisationId: 'keski-suomen-hyvinvointialue', systemId: 'resident-portal-e2e', roles: ['resident'] },
    });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('releases no need codes or urgency where consent allows a category other than need-description, and logs exactly the fields released', async () => {
    const fixture = learningSupportReferral({ needCodes: ['loneliness-leisure'] });
    const consentId = await grant(fixture, { recipients: [{ organisationId: NGO }], dataCategories: ['contact'] });
    const id = await submit(fixture);
    contactOnly = { fixture, id, consentId };
    // Routing discloses the need codes: without need-description the NGO gets no delivery.
    await timelineReaches(id, 'awaiting-consent');

    const released = await eventually(async () => {
      const answer = await call('GET', `${api()}/v1/referrals/${id}/details`, { key: keys.ngo });
      return answer.status === 200 ? answer : undefined;
    }, 'the contact details released to the NGO');
    expect(released.body.dataCategories).toEqual(['contact']);
    expect(Object.keys(released.body.details)).toEqual(['contact']);
    expect(released.body.details.needCodes).toBeUndefined();
    expect(released.body.details.urgency).toBeUndefined();

    const logged = await eventually(async () => {
      const entries = await releasesOf(id);
      return entries.length > 0 ? entries : undefined;
    }, 'the release in the disclosure log');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.data).toMatchObject({ dataCategories: ['contact'], fields: ['contact'], recipient: { organisationId: NGO } });
  });

  it('logs a school delivery retried after two 503s as exactly one disclosure, and its details fetches as one release', async () => {
    await call('POST', `${run.backbone.urls.school}/_stub/script`, { body: { answers: [503, 503] } });
    const fixture = learningSupportReferral();
    await grant(fixture, { recipients: [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }] });
    const id = await submit(fixture);
    await timelineReaches(id, 'delivered');
    const deliveries = (await call('GET', `${run.backbone.urls.school}/_stub/deliveries`)).body.deliveries.filter((d: { referralId: string }) => d.referralId === id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].answers).toEqual([503, 503, 200]);
    const deliveryId: string = deliveries[0].idempotencyKey;

    const ofDelivery = async () => (await releasesOf(id)).filter((e) => e.data.deliveryId === deliveryId);
    await eventually(async () => ((await ofDelivery()).some((e) => e.source === '/polku/adapter-host') ? true : undefined), 'the delivery\'s disclosure');
    // Anything the three attempts could still write has been published by now: the relay publishes in order.
    await eventually(async () => ((await timelineReaches(id, 'delivered')) ? true : undefined), 'delivered');
    const entries = await ofDelivery();
    const byHost = entries.filter((e) => e.source === '/polku/adapter-host');
    const byApi = entries.filter((e) => e.source === '/polku/referral-api');
    expect(byHost).toHaveLength(1);
    expect(byHost[0]!.data).toMatchObject({
      dataCategories: ['need-description'], recipient: { organisationId: 'jyvaskyla-education' },
      fields: ['ageBand', 'language', 'legalBasis', 'municipalityCode', 'needCodes', 'submittedAt', 'urgency'],
    });
    // The adapter's claim check is a release of other fields (the vault's), logged by the referral API: once, not per attempt.
    expect(byApi).toHaveLength(1);
    expect(byApi[0]!.data.fields).toEqual(['child', 'contact', 'description', 'guardians', 'needCodes', 'urgency']);
    expect((await releasesOf(id)).filter((e) => e.data.deliveryId === undefined)).toEqual([]);
  });

  it('answers a resident\'s access export with their referral, consents and who saw their data, and nobody else\'s', async () => {
    const { fixture, id, consentId } = contactOnly!;
    const assertion = await eService.assert({ identityCode: identityCodeOf(fixture) });
    const answer = await eventually(async () => {
      const got = await call('GET', `${api()}/v1/me/access-export`, { key: keys.residentPortal, headers: { 'x-polku-person-assertion': assertion } });
      return got.status === 200 && got.body.disclosures.entries.length > 0 ? got : undefined;
    }, 'the access export with the disclosure');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body.referrals.map((r: { referralId: string }) => r.referralId)).toEqual([id]);
    expect(answer.body.referrals[0].state).toBe('awaiting-consent');
    expect(answer.body.consents.available).toBe(true);
    expect(answer.body.consents.consents.map((c: { consentId: string }) => c.consentId)).toEqual([consentId]);
    expect(answer.body.disclosures.entries.find((e: { outcome: string }) => e.outcome === 'disclosed')).toMatchObject({ referralId: id, recipient: { organisationId: NGO }, fields: ['contact'] });
    expect(new Set(answer.body.disclosures.entries.map((e: { subjectRef: string }) => e.subjectRef))).toEqual(new Set([answer.body.subjectRef]));
    expect(JSON.stringify(answer.body)).not.toContain(identityCodeOf(fixture));

    const asSchool = await call('GET', `${api()}/v1/me/access-export`, { key: run.keys.school });
    expect(asSchool.status).toBe(403);
    expect(asSchool.headers.get('content-type')).toContain('application/problem+json');
    expect(asSchool.body.code).toBe('ACCESS_EXPORT_RESIDENT_ONLY');
    const withoutPerson = await call('GET', `${api()}/v1/me/access-export`, { key: keys.residentPortal });
    expect(withoutPerson.status).toBe(401);
    expect(withoutPerson.body.code).toBe('PERSON_ASSERTION_REQUIRED');
  });
});
