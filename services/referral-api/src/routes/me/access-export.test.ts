import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@polku/catalogue';
import type { RunningProjection } from '@polku/projection';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { createLogger, personAssertionVerifier } from '@polku/service-kit';
import { standInResidentEService, type StandInResidentEService } from '@polku/service-kit/stand-in-e-service';
import { buildApp } from '../../app';
import { teacherReferral } from '../../testing/fixtures';
import { eventually, startHarness, type Harness } from '../../testing/harness';
import { routed } from '../../testing/referral-events';
import { permission } from '../../testing/test-consent';

const YOUTH_WORK = { organisationId: 'keski-suomen-setlementti', serviceId: 'setlementti-youth-services', sector: 'ngo' } as const;

describe('GET /v1/me/access-export (right of access)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let eService: StandInResidentEService;
  let projections: RunningProjection[];
  beforeAll(async () => {
    h = await startHarness();
    projections = [await h.startProjection(), await h.startDisclosureProjection()];
    eService = await standInResidentEService();
    // The API as server.ts builds it: trusting the e-service, reading consents from the ledger (here the test's records).
    app = await buildApp({
      logger: createLogger({ service: 'referral-api-test', level: 'silent' }), db: h.db, vault: h.vault, bus: h.bus, catalogue: await loadCatalogue(),
      pseudonymKey: h.pseudonymKey, consent: h.consent, publicUrl: 'http://api.test', referralTopic: h.topic, disclosureTopic: h.disclosureTopic,
      auth: { personAssertions: personAssertionVerifier(eService.trust) },
      consentReader: async (subjectRef) => ({ available: true, consents: h.consent.records.filter((r) => r.subjectRef === subjectRef) }),
    });
  });
  afterAll(async () => {
    await app?.close();
    for (const p of projections ?? []) await p.stop();
    await h?.close();
  });

  const exportAs = (key: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/v1/me/access-export', headers: { 'x-api-key': key, ...headers } });

  it('answers the person\'s referrals, consents and who saw their data, and nothing of others', async () => {
    const fixture = teacherReferral();
    const other = teacherReferral();
    const ids: string[] = [];
    for (const f of [fixture, other]) {
      const answer = await app.inject({ method: 'POST', url: '/v1/referrals', payload: f.body, headers: { 'x-api-key': h.keys.school } });
      expect(answer.statusCode, answer.body).toBe(202);
      ids.push(answer.json<{ id: string }>().id);
    }
    const [id] = ids as [string];
    await eventually(async () => ((await h.statusStore.getRecord(id))?.timeline.length ? true : undefined), 'submitted');
    await h.bus.publish(h.topic, routed(id, YOUTH_WORK, []));
    await eventually(async () => ((await h.statusStore.getRecord(id))?.timeline.length === 2 ? true : undefined), 'routed');
    const identityCode = fixture.body.child.identityCode;
    const subjectRef = subjectRefOf(parseIdentityCode(identityCode)!.normalised, h.pseudonymKey);
    const granted = permission(subjectRef, [{ organisationId: YOUTH_WORK.organisationId }], ['contact']);
    h.consent.records = [granted];
    expect((await app.inject({ method: 'GET', url: `/v1/referrals/${id}/details`, headers: { 'x-api-key': h.keys.lead } })).statusCode).toBe(200);

    const assertion = await eService.assert({ identityCode });
    const answer = await eventually(async () => {
      const got = await exportAs(h.keys.residentView, { 'x-polku-person-assertion': assertion });
      return got.statusCode === 200 && got.json().disclosures.entries.length === 1 ? got : undefined;
    }, 'the export with the release');
    expect(answer.headers['cache-control']).toBe('no-store');
    const body = answer.json();
    expect(body.subjectRef).toBe(subjectRef);
    expect(body.referrals).toEqual([expect.objectContaining({ referralId: id, state: 'routed', lead: YOUTH_WORK })]);
    expect(body.consents).toEqual({ available: true, consents: [expect.objectContaining({ consentId: granted.consentId })] });
    expect(body.disclosures.entries[0]).toMatchObject({ outcome: 'disclosed', referralId: id, fields: ['contact'], recipient: { organisationId: YOUTH_WORK.organisationId } });
    expect(answer.body).not.toContain(identityCode);
    expect(answer.body).not.toContain(other.body.child.lastName);
  });

  it('refuses every caller but the resident e-service with a stable code', async () => {
    for (const key of [h.keys.school, h.keys.operator, h.keys.auditor, h.keys.lead]) {
      const refused = await exportAs(key);
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'ACCESS_EXPORT_RESIDENT_ONLY' });
    }
    expect((await exportAs(h.keys.residentView)).json()).toMatchObject({ code: 'PERSON_ASSERTION_REQUIRED' });
    const forged = await (await standInResidentEService()).assert({ identityCode: '010115A9000' });
    expect((await exportAs(h.keys.residentView, { 'x-polku-person-assertion': forged })).json()).toMatchObject({ code: 'PERSON_ASSERTION_INVALID' });
    expect((await app.inject({ method: 'GET', url: '/v1/me/access-export' })).statusCode).toBe(401);
  });
});
