import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { createEvent, TOPICS, type CloudEvent } from '@polku/contracts';
import type { ServiceName } from '@polku/launcher';
import { createLogger } from '@polku/service-kit';
import { startBackbone, type RunningBackbone } from './backbone';
import { eventually, testInfra } from './support';

const example = JSON.parse(readFileSync(new URL('../schemas/referral/examples/referral.submitted.v1.valid.json', import.meta.url), 'utf8')) as CloudEvent;

/** Every backbone service: each serves /metrics. */
const SERVICES = ['referralApi', 'router', 'consent', 'adapterHost', 'disclosureSealer', 'console'] as const satisfies readonly ServiceName[];
/** The services with a consumer group on the referral topic: each dead-letters a record that breaks its contract. */
const REFERRAL_CONSUMERS = ['referralApi', 'router', 'consent', 'adapterHost'] as const;
/** Services with BullMQ queues, and those that run the outbox relay. */
const QUEUE_OWNERS = ['router', 'consent', 'adapterHost'] as const;
const RELAY_RUNNERS = ['referralApi', 'router', 'consent', 'adapterHost'] as const;

async function scrape(url: string): Promise<PrometheusFamily[]> {
  const answer = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  expect(answer.status, `${url}/metrics`).toBe(200);
  expect(answer.headers.get('content-type')).toContain('text/plain');
  return parsePrometheusTextFormat(await answer.text());
}

const family = (families: PrometheusFamily[], name: string) => families.find((f) => f.name === name);

describe('/metrics of every service', () => {
  let run: RunningBackbone;
  let poison: CloudEvent;

  beforeAll(async () => {
    run = await startBackbone({ slaMs: 3_600_000, instances: { referralApi: 1, router: 1, consent: 1, adapterHost: 1, disclosureSealer: 1 } });
    // A faulty producer that skips validation: every group on the referral topic dead-letters its record.
    const referralId = randomUUID();
    poison = createEvent('fi.polku.referral.submitted.v1', { source: '/polku/e2e', subject: referralId, data: { ...example.data, referralId, municipalityCode: 'Jyväskylä' } });
    const logger = createLogger({ service: 'e2e-metrics', level: 'silent' });
    const producer = namespacedTransport(createKafkajsTransport({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-faulty', logger }), run.namespace).producer();
    await producer.connect();
    await producer.send(TOPICS.referral, [{ key: poison.subject, value: JSON.stringify(poison), headers: {} }]);
    await producer.disconnect();
  }, 180_000);

  afterAll(async () => {
    await run?.stop();
  });

  for (const service of SERVICES) {
    it(`${service}: parses as Prometheus text and shows consumer lag and dead letters`, async () => {
      for (const instance of run.backbone.instances[service]) {
        const families = await scrape(instance.url);
        expect(families.filter((f) => f.type === 'UNTYPED').map((f) => f.name), 'every family has a TYPE').toEqual([]);
        const lag = family(families, 'polku_kafka_consumer_lag');
        expect(lag?.type).toBe('GAUGE');
        // Every service consumes something (the sealer the disclosure log and the console the dead letters, raw): lag per group, topic and partition.
        expect(lag?.metrics.length, `${service} shows the lag of its groups`).toBeGreaterThan(0);
        for (const sample of lag!.metrics) expect(Object.keys(sample.labels ?? {}).sort()).toEqual(['group', 'partition', 'service', 'topic']);
        expect(family(families, 'polku_events_dead_lettered_total')?.type).toBe('COUNTER');
        expect(family(families, 'polku_http_requests_total')?.type).toBe('COUNTER');
        expect(family(families, 'polku_process_cpu_seconds_total')?.metrics.length).toBe(1);
        if (QUEUE_OWNERS.includes(service as never)) {
          const states = family(families, 'polku_queue_jobs')?.metrics.map((s) => s.labels?.state);
          expect(states, `${service} counts its BullMQ queues`).toEqual(expect.arrayContaining(['waiting', 'active', 'delayed', 'failed']));
        }
        if (RELAY_RUNNERS.includes(service as never)) {
          expect(family(families, 'polku_outbox_unsent_events')?.metrics.length, `${service} shows the outbox backlog`).toBe(1);
          expect(family(families, 'polku_outbox_oldest_unsent_age_seconds')?.metrics.length).toBe(1);
        }
      }
    });
  }

  for (const service of REFERRAL_CONSUMERS) {
    it(`${service}: counts the poison record it dead-lettered, by topic, group and error code`, async () => {
      const count = await eventually(async () => {
        let total = 0;
        for (const instance of run.backbone.instances[service]) {
          const letters = family(await scrape(instance.url), 'polku_events_dead_lettered_total')?.metrics ?? [];
          total += letters
            .filter((s) => s.labels?.topic === TOPICS.referral && s.labels?.code === 'EVENT_INVALID')
            .reduce((sum, s) => sum + Number(s.value), 0);
        }
        return total >= 1 ? total : undefined;
      }, `${service} counting the dead letter on /metrics`, 60_000);
      expect(count).toBeGreaterThanOrEqual(1);
    });
  }

  it('labels HTTP requests by route pattern, never with an id from the URL', async () => {
    const url = run.backbone.urls.referralApi;
    await fetch(`${url}/v1/referrals/${poison.subject}`);
    const requests = family(await scrape(url), 'polku_http_requests_total')!.metrics;
    expect(requests.map((s) => s.labels?.route)).toContain('/v1/referrals/:id');
    expect(JSON.stringify(requests)).not.toContain(poison.subject);
  });
});
