import { randomUUID } from 'node:crypto';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase, loadRetentionSchedule } from '@polku/infra';
import { createLogger, newSigningKey } from '@polku/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralApiSettings, loadReferralApiConfig } from './config';
import { sweepPastRetention } from './retention-sweep';

const DAY = 24 * 3600 * 1000;
const schedule = loadRetentionSchedule();
const periodOf = (kind: string) => schedule.find((k) => k.kind === kind)!.retentionMs;

describe('retention by configuration', () => {
  it('keeps the vault and the disclosure log by default exactly as infra/retention.json says', () => {
    const config = loadReferralApiConfig({ POLKU_VAULT_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, POLKU_PSEUDONYM_KEY: Buffer.alloc(32, 2).toString('base64'), POLKU_CONSENT_KEY: 'x', POLKU_DISCLOSURE_SIGNING_KEY: newSigningKey('referral-api-test').signingKey });
    expect(config.POLKU_VAULT_ERASE_AFTER_MS).toBe(periodOf('vault-details'));
    expect(config.POLKU_DISCLOSURE_RETENTION_MS).toBe(periodOf('disclosure-log'));
    expect(referralApiSettings.POLKU_DISCLOSURE_RETENTION_MS).toBeDefined();
  });
});

describe('the sweep of PostgreSQL rows past retention', () => {
  let db: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const own = await freshTestDatabase(process.env['DATABASE_URL']!, 'retention');
    db = createDatabase({ url: own.url, applicationName: 'retention-test', logger: createLogger({ service: 'test', level: 'silent' }) });
    drop = async () => {
      await db.close();
      await own.drop();
    };
  });
  afterAll(async () => drop?.());

  it('deletes disclosure-log rows older than the period and keeps the rest', async () => {
    const now = new Date();
    const period = periodOf('disclosure-log');
    const old = new Date(now.getTime() - period - DAY);
    const recent = new Date(now.getTime() - period + DAY);
    const subjectRef = `sr_${'A'.repeat(43)}`;
    for (const [id, at] of [[randomUUID(), old], [randomUUID(), recent]] as const) {
      await db.query('INSERT INTO disclosure_entries (disclosure_id, subject_ref, at, entry) VALUES ($1, $2, $3, $4)', [id, subjectRef, at, JSON.stringify({ disclosureId: id })]);
      await db.query('INSERT INTO disclosure_logged_deliveries (writer, delivery_id, fields, disclosure_id, logged_at) VALUES ($1, $2, $3, $4, $5)', ['adapter-host', randomUUID(), 'needCodes', id, at]);
    }
    expect(await sweepPastRetention(db, { disclosureLogMs: period }, now)).toEqual({ disclosureEntries: 1, loggedDeliveries: 1 });
    expect(await sweepPastRetention(db, { disclosureLogMs: period }, now)).toEqual({ disclosureEntries: 0, loggedDeliveries: 0 });
    const { rows } = await db.query<{ at: Date }>('SELECT at FROM disclosure_entries');
    expect(rows.map((r) => r.at.toISOString())).toEqual([recent.toISOString()]);
  });
});
