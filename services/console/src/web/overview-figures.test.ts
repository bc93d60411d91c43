import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { createLogger } from '@polku/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOverview, sparkBars } from './overview-figures';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

/** The overview's figures read from the console's own tables in a real PostgreSQL, and each service's readiness over HTTP. */
describe('the overview\'s figures', () => {
  let own: { url: string; drop: () => Promise<void> };
  let db: Database;
  let ready: Server;
  let notReady: Server;
  let offset = 0;

  async function event(type: string, referralId: string, minutesAgo: number): Promise<void> {
    await db.query(
      `INSERT INTO console_events (event_id, type, topic, partition, "offset", time, referral_id, codes) VALUES ($1, $2, 'polku.referral.events.v1', 0, $3, $4, $5, '{}')`,
      [randomUUID(), type, offset++, ago(minutesAgo), referralId],
    );
  }
  async function attempt(deliveryId: string, outcome: string, minutesAgo: number): Promise<void> {
    await db.query(
      `INSERT INTO adapter_host_delivery_attempts (delivery_id, referral_id, adapter_id, attempt, started_at, ended_at, outcome) VALUES ($1, $2, 'education.school', 1, $3, $3, $4)`,
      [deliveryId, randomUUID(), ago(minutesAgo), outcome],
    );
  }
  async function deadLetter(consumer: string, state: string): Promise<void> {
    await db.query(
      `INSERT INTO dead_letters (id, dlq_topic, original_topic, consumer_group, consumer, error_code, error_message, attempts, dead_lettered_at, record_value, record_headers, state)
       VALUES ($1, 'polku.referral.events.v1.dlq', 'polku.referral.events.v1', $2, $2, 'E', 'e', 1, now(), '\\x00', '{}', $3)`,
      [`polku.referral.events.v1.dlq/0/${offset++}`, consumer, state],
    );
  }

  beforeAll(async () => {
    own = await freshTestDatabase(process.env['DATABASE_URL']!, 'console');
    db = createDatabase({ url: own.url, applicationName: 'overview-figures-test', logger: createLogger({ service: 'overview-figures-test', level: 'silent' }) });
    const [a, b] = [randomUUID(), randomUUID()];
    await event('fi.polku.referral.submitted.v1', a, 10);
    await event('fi.polku.referral.routed.v1', a, 9);
    await event('fi.polku.referral.delivered.v1', a, 8);
    await event('fi.polku.referral.submitted.v1', b, 3);
    await event('fi.polku.referral.routed.v1', b, 2);
    // Not states: B is still routed.
    await event('fi.polku.referral.sla-breached.v1', b, 1);
    // Older than the hour: in the day's breaches, not in the rates.
    await event('fi.polku.referral.sla-breached.v1', randomUUID(), 120);
    const [recovered, retrying, failed] = [randomUUID(), randomUUID(), randomUUID()];
    await attempt(recovered, 'failed-retrying', 5);
    await attempt(recovered, 'delivered', 4);
    await attempt(retrying, 'failed-retrying', 3);
    await attempt(failed, 'failed', 1);
    await deadLetter('adapter-host', 'open');
    await deadLetter('adapter-host', 'open');
    await deadLetter('projection.router', 'replayed');
    ready = createServer((req, res) => res.writeHead(req.url === '/health/ready' ? 200 : 404).end());
    notReady = createServer((_req, res) => res.writeHead(503).end());
    await Promise.all([ready, notReady].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  });
  afterAll(async () => {
    ready?.close();
    notReady?.close();
    await db?.close();
    await own?.drop();
  });

  it('counts referrals by state, SLA breaches, failing deliveries, open dead letters and events per minute', async () => {
    const figures = await readOverview({ db, services: {}, readiness: {} }, NOW);
    expect(figures.referralsByState).toEqual([{ state: 'delivered', count: 1 }, { state: 'routed', count: 1 }]);
    expect(figures.slaBreaches).toEqual({ lastHour: 1, lastDay: 2 });
    expect(figures.failingDeliveries).toEqual({ retrying: 1, failedLastHour: 1, byAdapter: [{ adapterId: 'education.school', retrying: 1, failed: 1 }] });
    expect(figures.deadLetters).toEqual([{ topic: 'polku.referral.events.v1', group: 'adapter-host', open: 2 }]);
    const submitted = figures.eventRates.find((r) => r.type === 'fi.polku.referral.submitted.v1')!;
    expect(submitted.total).toBe(2);
    expect(submitted.perMinute).toHaveLength(60);
    // Oldest first: ten minutes ago is the 50th minute of the hour, three minutes ago the 57th.
    expect(submitted.perMinute[49]).toBe(1);
    expect(submitted.perMinute[56]).toBe(1);
    expect(figures.eventRates.find((r) => r.type === 'fi.polku.referral.sla-breached.v1')!.total).toBe(1);
  });

  it('says which service is ready, which answers otherwise, and which does not answer; the console\'s own checks by name', async () => {
    const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const figures = await readOverview({
      db,
      services: { router: urlOf(ready), consent: urlOf(notReady), 'adapter-host': 'http://127.0.0.1:1' },
      readiness: { postgres: async () => {}, kafka: async () => { throw new Error('down'); } },
    }, NOW);
    expect(figures.readiness).toEqual([
      { service: 'router', ready: true },
      { service: 'consent', ready: false, problem: 'HTTP_503' },
      { service: 'adapter-host', ready: false, problem: 'NO_ANSWER' },
      { service: 'console', ready: false, problem: 'KAFKA_UNAVAILABLE' },
    ]);
  });

  it('draws a bar per minute with events, scaled to the busiest', () => {
    const bars = sparkBars([0, 2, 4, 0], 120, 24);
    expect(bars).toHaveLength(2);
    expect(bars.map((b) => b.h)).toEqual([12, 24]);
    expect(bars.every((b) => b.y + b.h === 24)).toBe(true);
  });
});
