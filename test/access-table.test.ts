import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '@polku/db';
import { SERVICE_NAMES, type ServiceName } from '@polku/launcher';
import { createLogger, sqlApiKeyStore, type KeyGrant } from '@polku/service-kit';
import { uniqueChildIdentityCode } from '@polku/test-kit';
import { ACCESS_DOC, renderAccessTable } from './access/render';
import { PROBES, type ProbeContext } from './access/probes';
import { CALLER_IDS, ROWS, rowKey, SERVICE_LABELS, type CallerId } from './access/table';
import { startBackbone, type RunningBackbone } from './backbone';
import { call } from './client';
import { signInToConsole } from './console-sign-in';
import { childWelfareNotification, consentBody, identityCodeOf } from './fixtures';
import { eventually } from './support';

/** Stand-ins for external systems run beside the backbone; their routes are not Polku's. */
const STAND_INS: readonly ServiceName[] = ['school', 'ngo'];
/** Backbone processes that listen for no HTTP at all (a pure consumer): nothing to cover. */
const NO_HTTP: readonly string[] = [];

const WELLBEING = 'keski-suomen-hyvinvointialue';
const OWN_SERVICE = 'ksh-child-welfare-jyvaskyla';

/** One key per column of the table (no key for `no-key`, a session of the console's pages for the sessions). */
const GRANTS: Record<Exclude<CallerId, 'no-key' | 'operator-session' | 'auditor-session'>, KeyGrant> = {
  'expired-key': { organisationId: WELLBEING, systemId: 'access-expired', roles: ['recipient'], services: [OWN_SERVICE], expiresAt: new Date(Date.now() - 60_000) },
  'revoked-key': { organisationId: WELLBEING, systemId: 'access-revoked', roles: ['recipient'], services: [OWN_SERVICE] },
  'submitter-own': { organisationId: 'jyvaskyla-education', systemId: 'access-school', roles: ['submitter'] },
  'submitter-other-org': { organisationId: 'laukaa-education', systemId: 'access-school', roles: ['submitter'] },
  'recipient-own-service': { organisationId: WELLBEING, systemId: 'access-child-welfare', roles: ['recipient'], services: [OWN_SERVICE] },
  'recipient-sibling-service': { organisationId: WELLBEING, systemId: 'access-mental-health', roles: ['recipient'], services: ['ksh-child-youth-mental-health'] },
  'recipient-other-org': { organisationId: 'keski-suomen-nuorisotuki', systemId: 'access-ngo', roles: ['recipient'], services: ['nuorisotuki-mentoring'] },
  operator: { organisationId: 'polku-operations', systemId: 'access-console', roles: ['operator'] },
  auditor: { organisationId: 'polku-audit', systemId: 'access-audit', roles: ['auditor'] },
  resident: { organisationId: WELLBEING, systemId: 'access-resident-e-service', roles: ['resident'] },
  backbone: { organisationId: 'polku', systemId: 'access-backbone', roles: ['backbone'] },
};

/** A stream's answer: its status and headers, and its body only when it is a refusal (which ends). */
async function openStream(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: unknown }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, redirect: 'manual', signal: abort.signal });
  if (res.status >= 400) return { status: res.status, headers: res.headers, body: await res.json() };
  abort.abort();
  return { status: res.status, headers: res.headers, body: undefined };
}

describe('the access table: every route of every service × every caller', () => {
  let run: RunningBackbone;
  const keys: Partial<Record<CallerId, string>> = {};
  /** The session cookie of each session column: people of the stand-in identity provider, signed in. */
  const sessions: Partial<Record<CallerId, string>> = {};
  let assertion: string;
  let ctx: ProbeContext;
  const urls = () => run.backbone.urls;
  const answerOf = (status: number, body: unknown) => {
    const code = (body as { code?: unknown } | undefined)?.code;
    return status >= 400 && typeof code === 'string' ? `${status} ${code}` : `${status}`;
  };

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000, instances: { referralApi: 1, router: 1, consent: 1, adapterHost: 1 } });
    const db = createDatabase({ url: run.databaseUrl, applicationName: 'access-table', logger: createLogger({ service: 'access-table', level: 'warn' }), timeoutMs: 10_000 });
    try {
      const store = sqlApiKeyStore(db);
      for (const [id, grant] of Object.entries(GRANTS) as [CallerId, KeyGrant][]) {
        const issued = await store.issue(grant);
        keys[id] = issued.key;
        if (id === 'revoked-key') await store.revoke(issued.caller.keyId);
      }
    } finally {
      await db.close();
    }
    sessions['operator-session'] = await signInToConsole(urls().console, 'paivystaja');
    sessions['auditor-session'] = await signInToConsole(urls().console, 'tarkastaja');
    // The stand-in resident e-service every service of this backbone trusts.
    assertion = await run.backbone.residentEService.eService.assert({ identityCode: uniqueChildIdentityCode(1986) });

    const fixture = childWelfareNotification();
    const identityCode = identityCodeOf(fixture);
    const idempotencyKey = `access-table-${Date.now()}`;
    const submitted = await call('POST', `${urls().referralApi}/v1/referrals`, { key: keys['submitter-own']!, body: fixture.body, headers: { 'idempotency-key': idempotencyKey } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const referralId: string = submitted.body.id;
    await eventually(async () => {
      const status = await call('GET', `${urls().referralApi}/v1/referrals/${referralId}`, { key: keys.operator! });
      return status.body?.lead?.serviceId === OWN_SERVICE ? true : undefined;
    }, 'the referral routed to child welfare');
    await eventually(async () => ((await call('GET', `${urls().router}/v1/referrals/${referralId}/timers`, { key: keys.operator! })).status === 200 ? true : undefined), 'the router knows the referral');
    const routedEventId = await eventually(async () => {
      const trace = await call('GET', `${urls().console}/v1/traces/referrals/${referralId}`, { key: keys.operator! });
      return (trace.body?.events as Array<{ type: string; eventId: string }> | undefined)?.find((e) => e.type === 'fi.polku.referral.routed.v1')?.eventId;
    }, 'the console has indexed the routed event');
    const freshConsent = async () => {
      const answer = await call('POST', `${urls().consent}/v1/consents`, { key: keys['submitter-own']!, body: consentBody(identityCode, { recipients: [{ organisationId: WELLBEING, serviceId: OWN_SERVICE }] }) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.consent as { consentId: string; subjectRef: string };
    };
    const consent = await freshConsent();
    ctx = {
      referralId, idempotencyKey, routedEventId, identityCode, subjectRef: consent.subjectRef, consentId: consent.consentId,
      freshConsent: async () => (await freshConsent()).consentId,
      freshKeyId: async () => {
        const keyDb = createDatabase({ url: run.databaseUrl, applicationName: 'access-table', logger: createLogger({ service: 'access-table', level: 'silent' }), timeoutMs: 10_000 });
        try {
          return (await sqlApiKeyStore(keyDb).issue({ organisationId: 'laukaa-education', systemId: 'access-throwaway', roles: ['submitter'] })).caller.keyId;
        } finally {
          await keyDb.close();
        }
      },
      personalValues: [...fixture.personalValues],
    };
  }, 180_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('has a row for every route of every running service, and no row for a route that is gone', async () => {
    const served = new Set<string>();
    for (const name of SERVICE_NAMES.filter((n) => !STAND_INS.includes(n) && !NO_HTTP.includes(n))) {
      const label = (SERVICE_LABELS as Partial<Record<ServiceName, string>>)[name] ?? name;
      const doc = await call('GET', `${urls()[name]}/docs/json`);
      expect(doc.status, `${label} serves no OpenAPI document at /docs/json`).toBe(200);
      for (const [path, operations] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(operations)) served.add(`${label} ${method.toUpperCase()} ${path}`);
      }
    }
    // Health, readiness, metrics and the OpenAPI document itself are in no OpenAPI document: their rows stand without one.
    const undocumented = (route: string) => route.startsWith('GET /health/') || route === 'GET /metrics' || route === 'GET /docs/json';
    const rows = new Set(ROWS.filter((r) => !undocumented(r.route)).map(rowKey));
    expect([...served].filter((route) => !rows.has(route)), 'routes without a row in test/access/table.ts').toEqual([]);
    expect([...rows].filter((route) => !served.has(route)), 'rows of test/access/table.ts for routes no service serves').toEqual([]);
    expect(ROWS.map(rowKey).filter((key) => !PROBES[key]), 'rows without a probe in test/access/probes.ts').toEqual([]);
    expect(Object.keys(PROBES).filter((key) => !ROWS.some((r) => rowKey(r) === key)), 'probes without a row').toEqual([]);
  });

  it('is documented as rendered: docs/access.md is what test/access/table.ts renders', () => {
    expect(readFileSync(ACCESS_DOC, 'utf8'), 'run npx tsx test/access/render.ts').toBe(renderAccessTable());
  });

  for (const row of ROWS) {
    it(`pins every cell of ${rowKey(row)}`, async () => {
      const method = row.route.split(' ')[0]!;
      const actual: Partial<Record<CallerId, string>> = {};
      for (const caller of CALLER_IDS) {
        const probe = await PROBES[rowKey(row)]!(ctx);
        const headers = { ...probe.headers, ...(caller === 'resident' ? { 'x-polku-person-assertion': assertion } : {}), ...(sessions[caller] ? { cookie: sessions[caller] } : {}) };
        const key = keys[caller];
        // Redirects are answers too: a page sends a caller without a session on to the sign-in page.
        const answer = probe.stream
          ? await openStream(`${urls()[row.service]}${probe.path}`, { ...headers, ...(key ? { 'x-api-key': key } : {}) })
          : await call(method, `${urls()[row.service]}${probe.path}`, { ...(key ? { key } : {}), headers, redirect: 'manual', ...(probe.body !== undefined ? { body: probe.body } : {}) });
        actual[caller] = answerOf(answer.status, answer.body);
        if (answer.status >= 400) expect(answer.headers.get('content-type'), `${caller}: a refusal is problem+json`).toContain('application/problem+json');
      }
      const differing = CALLER_IDS.filter((caller) => actual[caller] !== row.cells[caller]).map((caller) => `${caller}: expected ${row.cells[caller]}, got ${actual[caller]}`);
      expect(differing, `cells of ${rowKey(row)} that differ from test/access/table.ts`).toEqual([]);
    });
  }

  it('wrote the refused details fetches of the sibling service and the other organisation to the disclosure log (finding 3)', async () => {
    const log = await eventually(async () => {
      const answer = await call('GET', `${urls().referralApi}/v1/subjects/${ctx.subjectRef}/disclosures`, { key: keys.auditor! });
      const entries = (answer.body?.disclosures ?? []) as Array<{ outcome: string; reasonCode?: string; recipient: { systemId: string } }>;
      return entries.filter((e) => e.outcome === 'refused').length >= 2 ? entries : undefined;
    }, 'the refusals in the disclosure log');
    const refusals = log.filter((e) => e.outcome === 'refused').map((e) => [e.recipient.systemId, e.reasonCode]);
    expect(refusals).toEqual(expect.arrayContaining([['access-mental-health', 'recipient-not-covered'], ['access-ngo', 'recipient-not-covered']]));
    expect(log.filter((e) => e.outcome === 'disclosed').map((e) => e.recipient.systemId)).toEqual(['access-child-welfare']);
  });

  it('logged no personal value of any probe, refused or not', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const logs = files(run.logDir).map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(ctx.personalValues.filter((value) => logs.includes(value))).toEqual([]);
  });
});
