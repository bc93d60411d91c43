import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TOPICS } from '@polku/contracts';
import { issueApiKeys } from '@polku/launcher';
import { call } from './client';
import { runCommand } from './command';
import { startBackbone, type RunningBackbone } from './backbone';
import { childWelfareNotification, consentBody, identityCodeOf, learningSupportReferral, type ReferralFixture } from './fixtures';
import { eventually } from './support';

/** A 10-year-old in Jyväskylä who would like company: NGO youth work leads, and an NGO always needs consent. */
function ngoReferral(): ReferralFixture {
  return learningSupportReferral({ needCodes: ['loneliness-leisure'] });
}

const NGO = 'keski-suomen-nuorisotuki';

describe('consent and lawful disclosure, end to end', () => {
  let run: RunningBackbone;
  let keys: Record<'ngo' | 'ngoMentoring' | 'childWelfare' | 'residentPortal' | 'auditor', string>;
  const fixtures: ReferralFixture[] = [];
  const api = () => run.backbone.urls.referralApi;
  const consents = () => run.backbone.urls.consent;

  async function submit(fixture: ReferralFixture): Promise<string> {
    fixtures.push(fixture);
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

  async function grant(fixture: ReferralFixture, options: Parameters<typeof consentBody>[1], path = '/v1/consents') {
    const answer = await call('POST', `${consents()}${path}`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), options) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.consent as { consentId: string; subjectRef: string };
  }

  const details = (id: string, key: string) => call('GET', `${api()}/v1/referrals/${id}/details`, { key });

  async function ngoDeliveries(referralId: string): Promise<Array<{ answers: number[]; detailsReceived?: string[] }>> {
    const answer = await call('GET', `${run.backbone.urls.ngo}/_stub/deliveries`);
    return answer.body.deliveries.filter((d: { referralId: string }) => d.referralId === referralId);
  }

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 600_000 });
    keys = await issueApiKeys(run.databaseUrl, {
      ngo: { organisationId: NGO, systemId: 'case-notes-e2e', roles: ['recipient'], services: ['nuorisotuki-mentoring'] },
      // A professional looks up a subject's consents only for a service a referral of theirs was routed to.
      ngoMentoring: { organisationId: NGO, systemId: 'mentoring-e2e', roles: ['recipient'], services: ['nuorisotuki-mentoring'] },
      childWelfare: { organisationId: 'keski-suomen-hyvinvointialue', systemId: 'lastensuojelu-e2e', roles: ['recipient'], services: ['ksh-child-welfare-jyvaskyla'] },
      residentPortal: { organisationId: 'keski-suomen-hyvinvointialue', systemId: 'resident-portal-e2e', roles: ['resident'] },
      auditor: { organisationId: 'polku-audit', systemId: 'audit-e2e', roles: ['auditor'] },
    });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('holds a referral for an NGO until consent, then routes and delivers it with only the consented categories', async () => {
    const fixture = ngoReferral();
    const id = await submit(fixture);
    const waiting = await timelineReaches(id, 'awaiting-consent');
    expect(waiting.state).toBe('awaiting-consent');
    const refused = await details(id, keys.ngo);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await ngoDeliveries(id)).toEqual([]);

    await grant(fixture, { recipients: [{ organisationId: NGO }], dataCategories: ['contact', 'need-description'] });
    await timelineReaches(id, 'delivered');
    const released = await details(id, keys.ngo);
    expect(released.status).toBe(200);
    expect(released.body.dataCategories.sort()).toEqual(['contact', 'need-description']);
    expect(released.body.details.contact).toBeDefined();
    expect(released.body.details.child).toBeUndefined();
    expect(released.body.details.guardians).toBeUndefined();
  });

  it('refuses the next details fetch as soon as a withdrawal returns, and makes no pending delivery', async () => {
    const fixture = ngoReferral();
    const consent = await grant(fixture, { recipients: [{ organisationId: NGO }], dataCategories: ['contact', 'need-description'] });
    const id = await submit(fixture);
    await timelineReaches(id, 'delivered');
    expect((await details(id, keys.ngo)).status).toBe(200);

    const withdrawn = await call('POST', `${consents()}/v1/consents/${consent.consentId}/withdraw`, { key: run.keys.school });
    const returnedAt = performance.now();
    const after = await details(id, keys.ngo);
    const gapMs = performance.now() - returnedAt;
    expect(withdrawn.status).toBe(200);
    expect(after.status).toBe(403);
    process.stdout.write(`withdrawal → refused details fetch: ${gapMs.toFixed(1)} ms\n`);
    expect(gapMs).toBeGreaterThanOrEqual(0);

    // A delivery waiting in backoff when consent goes is not made.
    const pending = ngoReferral();
    const pendingConsent = await grant(pending, { recipients: [{ organisationId: NGO }], dataCategories: ['contact', 'need-description'] });
    await call('POST', `${run.backbone.urls.ngo}/_stub/script`, { body: { answers: [503, 503, 503, 503, 503, 503, 503, 503] } });
    const pendingId = await submit(pending);
    await eventually(async () => ((await ngoDeliveries(pendingId))[0]?.answers.length ?? 0) >= 1 || undefined, 'a first failed attempt');
    await call('POST', `${consents()}/v1/consents/${pendingConsent.consentId}/withdraw`, { key: run.keys.school });
    const failed = await eventually(async () => {
      const records = await run.readTopics([TOPICS.delivery]);
      return records.find((r) => r.event !== undefined && r.event.type === 'fi.polku.delivery.failed.v1' && (r.event.data as { referralId: string }).referralId === pendingId);
    }, 'delivery.failed after the withdrawal');
    expect((failed.event!.data as { lastError: { code: string } }).lastError.code).toMatch(/CONSENT/);
    const attempts = (await ngoDeliveries(pendingId))[0]!.answers;
    expect(attempts.every((status) => status === 503)).toBe(true);
    await call('POST', `${run.backbone.urls.ngo}/_stub/script`, { body: { answers: [] } });
  });

  it('lets a minor who decides personally ban what a guardian permitted', async () => {
    const fixture = ngoReferral();
    await grant(fixture, { recipients: [{ organisationId: NGO }], kind: 'guardian' });
    await grant(fixture, { recipients: [{ sector: 'ngo' }], kind: 'minor' }, '/v1/bans');
    const id = await submit(fixture);
    await timelineReaches(id, 'awaiting-consent');
    const refused = await details(id, keys.ngo);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toMatch(/ban/);
    expect(await ngoDeliveries(id)).toEqual([]);
  });

  it('delivers a child-welfare notification to child welfare with no consent, logged under LSL 25 §', async () => {
    const fixture = childWelfareNotification();
    const id = await submit(fixture);
    const routed = await timelineReaches(id, 'routed');
    expect(routed.lead.serviceId).toBe('ksh-child-welfare-jyvaskyla');
    expect(routed.timeline.some((e: { type: string }) => e.type === 'awaiting-consent')).toBe(false);
    const released = await details(id, keys.childWelfare);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body.basis).toMatchObject({ kind: 'statute' });
    expect(released.body.basis.statute).toMatch(/LSL 25/);
  });

  it('expires a consent at the end of its validity, also across a restart of the consent service', async () => {
    const fixture = ngoReferral();
    fixtures.push(fixture);
    const consent = await grant(fixture, { recipients: [{ organisationId: NGO }], validForMs: 4000 });
    await run.backbone.processes.consent.kill();
    await new Promise((resolve) => setTimeout(resolve, 4500));
    await run.backbone.restart('consent');
    const expired = await eventually(async () => {
      const records = await run.readTopics([TOPICS.consent]);
      return records.find((r) => r.key === consent.consentId && r.event?.type === 'fi.polku.consent.expired.v2');
    }, 'consent.expired');
    expect(expired.event!.data).toMatchObject({ consentId: consent.consentId, status: 'expired' });
  });

  it('rebuilds the same consent state from the topic while it runs (npm run rebuild -- consent)', async () => {
    const fixture = ngoReferral();
    await timelineReaches(await submit(fixture), 'routed');
    await grant(fixture, { recipients: [{ organisationId: NGO }] });
    await grant(fixture, { recipients: [{ sector: 'parish' }] }, '/v1/bans');
    const lookup = async () => call('POST', `${consents()}/v1/subjects/consents/lookup`, { key: keys.ngoMentoring, body: { identityCode: identityCodeOf(fixture) } });
    const before = await eventually(async () => {
      const answer = await lookup();
      return answer.status === 200 ? answer : undefined;
    }, 'the routed service may look up the consents');
    expect(before.body.consents).toHaveLength(2);
    const rebuilt = await runCommand(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts', 'consent'], { cwd: resolve(import.meta.dirname, '..'), env: { ...process.env, DATABASE_URL: run.databaseUrl } });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/consent: emptied, now generation \d+/);
    const after = await eventually(async () => {
      const answer = await lookup();
      return JSON.stringify(answer.body) === JSON.stringify(before.body) ? answer : undefined;
    }, 'the same consents after the rebuild', 30_000);
    expect(after.body).toEqual(before.body);
  });

  it('answers the resident\'s "who received my data" with every release and refusal, and nothing about others', async () => {
    const fixture = fixtures[0]!;
    const assertion = await run.backbone.residentEService.eService.assert({ identityCode: identityCodeOf(fixture) });
    const answer = await call('POST', `${api()}/v1/subjects/disclosures/lookup`, { key: keys.residentPortal, headers: { 'x-polku-person-assertion': assertion }, body: { identityCode: identityCodeOf(fixture) } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const entries = answer.body.disclosures as Array<{ subjectRef: string; recipient: { organisationId: string }; reasonCode?: string }>;
    expect(entries.filter((e) => e.reasonCode !== undefined).length).toBeGreaterThanOrEqual(1);
    expect(entries.filter((e) => e.reasonCode === undefined).length).toBeGreaterThanOrEqual(1);
    expect(new Set(entries.map((e) => e.subjectRef)).size).toBe(1);
    expect(entries.every((e) => e.recipient.organisationId === NGO)).toBe(true);
    const asAuditor = await call('GET', `${api()}/v1/subjects/${answer.body.subjectRef}/disclosures`, { key: keys.auditor });
    expect(asAuditor.body.disclosures).toEqual(answer.body.disclosures);
    expect((await call('GET', `${api()}/v1/subjects/${answer.body.subjectRef}/disclosures`, { key: keys.ngo })).status).toBe(403);
  });

  it('puts no identity code or name on any topic or in any log line', async () => {
    const records = await run.readTopics(Object.values(TOPICS).flatMap((topic) => [topic, `${topic}.dlq`]));
    const logs = readdirSync(run.logDir).map((file) => readFileSync(join(run.logDir, file), 'utf8'));
    const values = fixtures.flatMap((f) => f.personalValues);
    const leaks = values.filter((value) => records.some((r) => r.raw.includes(value)) || logs.some((l) => l.includes(value)));
    expect(leaks).toEqual([]);
  });
});
