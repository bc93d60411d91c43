import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@polku/contracts';
import { parseTraceparent } from '@polku/telemetry';
import { startCollector } from '@polku/telemetry/testing';
import { call } from './client';
import { startBackbone, type RunningBackbone } from './backbone';
import { consentBody, identityCodeOf, learningSupportReferral } from './fixtures';
import { eventually } from './support';

/**
 * One W3C trace from a school system's `POST /v1/referrals` to the stand-in school system's webhook:
 * through the referral API, its outbox, the router, the adapter host's BullMQ delivery and its
 * details fetch, and back through the school's callback; on every event, in every service's log
 * lines, and (with OTEL_EXPORTER_OTLP_ENDPOINT set) as spans at a collector.
 */
describe('trace context, end to end', () => {
  let run: RunningBackbone;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  const api = () => run.backbone.urls.referralApi;
  const school = () => run.backbone.urls.school;

  beforeAll(async () => {
    collector = await startCollector();
    // One instance each: the trace, not the scaling, is under test (and each service's lines are in one file).
    const one = { referralApi: 1, router: 1, consent: 1, adapterHost: 1, disclosureSealer: 1 };
    run = await startBackbone({ slaMs: 60_000, instances: one, env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } });
  }, 120_000);

  afterAll(async () => {
    await run?.stop();
    await collector?.close();
  });

  it('carries the traceparent of POST /v1/referrals to the school system\'s webhook, on every event of the referral, into the logs and to the collector', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const fixture = learningSupportReferral();
    const recipients = [{ organisationId: 'jyvaskyla-education' }, { organisationId: 'keski-suomen-hyvinvointialue' }];
    const consent = await call('POST', `${run.backbone.urls.consent}/v1/consents`, { key: run.keys.school, body: consentBody(identityCodeOf(fixture), { recipients }) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);

    const submitted = await call('POST', `${api()}/v1/referrals`, { key: run.keys.school, body: fixture.body, headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    expect(parseTraceparent(submitted.headers.get('traceresponse') ?? undefined)?.traceId).toBe(traceId);
    const id = submitted.body.id as string;

    // The stand-in school system received the delivery with a traceparent of the same trace.
    const delivery = await eventually(async () => {
      const answer = await call('GET', `${school()}/_stub/deliveries`);
      return (answer.body.deliveries as Array<{ referralId: string; traceparents: string[]; externalRef?: string }>).find((d) => d.referralId === id && d.externalRef);
    }, `the delivery of ${id} at the stand-in school`, 60_000);
    const atWebhook = parseTraceparent(delivery.traceparents[0]);
    expect(atWebhook?.traceId).toBe(traceId);
    expect(atWebhook?.spanId).not.toBe(callerSpan);

    // The school accepts without a trace of its own: the accepted event continues the referral's.
    const acted = await call('POST', `${school()}/_stub/referrals/${id}/act`, { body: { action: 'accept' } });
    expect(acted.status, JSON.stringify(acted.body)).toBeLessThan(300);
    await eventually(async () => {
      const answer = await call('GET', `${api()}/v1/referrals/${id}`, { key: run.keys.operator });
      return answer.body?.timeline?.some((entry: { type: string }) => entry.type === 'accepted') || undefined;
    }, `accepted in the timeline of ${id}`, 30_000);

    // Every event about the referral carries the trace, in its envelope and in its Kafka header.
    // The school's acceptance may reach the topic before the delivery's own events: the stand-in
    // records the delivery as it receives it, before the adapter host has committed the outcome.
    const expectedTypes = [
      'fi.polku.referral.submitted.v1', 'fi.polku.referral.routed.v1', 'fi.polku.referral.delivered.v1', 'fi.polku.delivery.succeeded.v1', 'fi.polku.referral.accepted.v1',
    ];
    const records = await eventually(async () => {
      const about = (await run.readTopics([TOPICS.referral, TOPICS.delivery])).filter((r) => r.event?.subject === id || (r.event?.data as { referralId?: string } | undefined)?.referralId === id);
      return expectedTypes.every((type) => about.some((r) => r.event!.type === type)) ? about : undefined;
    }, `every event of ${id} on the topics`, 30_000);
    for (const record of records) {
      expect(parseTraceparent(record.event!.traceparent)?.traceId, record.event!.type).toBe(traceId);
      expect(parseTraceparent(record.headers.traceparent)?.traceId, record.event!.type).toBe(traceId);
    }

    // Each service that handled the referral wrote log lines naming the trace (one file per instance).
    const services = ['referral-api', 'router', 'adapter-host', 'consent'];
    const logs = readdirSync(run.logDir).filter((file) => file.endsWith('.log'));
    for (const service of services) {
      const lines = logs.filter((file) => file.startsWith(`${service}`)).flatMap((file) => readFileSync(join(run.logDir, file), 'utf8').split('\n'));
      expect(lines.some((line) => line.includes(`"traceId":"${traceId}"`)), `a log line of ${service} with the trace`).toBe(true);
    }

    // With OTEL_EXPORTER_OTLP_ENDPOINT set, each of them exported spans of the trace.
    const exported = await eventually(() => {
      const byService = new Set(collector.spans.filter((span) => span.traceId === traceId).map((span) => span.serviceName));
      return services.every((service) => byService.has(service)) ? byService : undefined;
    }, 'spans of the trace from every service', 30_000);
    expect([...exported]).toEqual(expect.arrayContaining(services));
    const server = collector.spans.find((span) => span.traceId === traceId && span.name === 'POST /v1/referrals');
    expect(server).toMatchObject({ serviceName: 'referral-api', kind: 2, parentSpanId: callerSpan });
    const webhook = collector.spans.find((span) => span.spanId === atWebhook?.spanId);
    expect(webhook).toMatchObject({ serviceName: 'adapter-host', name: 'POST webhook', kind: 3 });
  }, 180_000);
});
