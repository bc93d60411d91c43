import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentRecord } from '@polku/consent-policy';
import { createDatabase, type Database } from '@polku/db';
import { freshTestDatabase } from '@polku/infra';
import { sqlConsentStore, type ConsentStore } from '../src/projection/consent-store';
import { logger } from './helpers';

const granted: ConsentRecord = {
  consentId: '3a7c9e21-5b4d-4f8e-a6c2-1d9b0e7f3a42', subjectRef: `sr_${'a'.repeat(43)}`, kind: 'permission', grantor: { role: 'guardian' },
  minorDecidesPersonally: false, disclosers: [{ organisationId: 'jyvaskyla-education' }], recipients: [{ sector: 'ngo' }], dataCategories: ['contact'],
  purposes: ['guidance'], legalFramework: '703/2023', validFrom: '2025-01-01T00:00:00Z', validUntil: '2025-06-01T00:00:00Z', form: 'written',
  recordedBy: { organisationId: 'jyvaskyla-education', professionalRef: 'u-1' }, status: 'active', changedAt: '2025-01-01T00:00:00Z',
};
const withdrawn: ConsentRecord = { ...granted, status: 'withdrawn', changedAt: '2025-03-01T00:00:00Z' };
const expired: ConsentRecord = { ...granted, status: 'expired', changedAt: '2025-06-01T00:00:00Z' };

describe('the consent projection store (real PostgreSQL)', () => {
  let db: Database;
  let drop: () => Promise<void>;
  let store: ConsentStore;
  beforeAll(async () => {
    const own = await freshTestDatabase(process.env['DATABASE_URL']!, 'consentstore');
    drop = own.drop;
    db = createDatabase({ url: own.url, applicationName: 'consent-store-test', logger });
    store = sqlConsentStore(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('ends in the same state whatever order the records of one consent arrive in', async () => {
    const orders = [[granted, withdrawn, expired], [expired, granted, withdrawn], [withdrawn, withdrawn, granted]];
    for (const order of orders) {
      await db.query('TRUNCATE consent_records');
      for (const record of order) await store.apply(record);
      const expected = order.includes(withdrawn) ? withdrawn : expired;
      expect(await store.get(granted.consentId)).toEqual(expected);
    }
  });

  it('answers the record it holds, so a late grant never revives a withdrawn consent', async () => {
    await db.query('TRUNCATE consent_records');
    await store.apply(withdrawn);
    expect(await store.apply(granted)).toEqual(withdrawn);
    expect(await store.listBySubject(granted.subjectRef)).toEqual([withdrawn]);
  });
});
