import { createEvent, type CloudEvent } from '@polku/contracts';
import { chainHash, GENESIS_HASH } from './chain';
import { buildCheckpoint } from './checkpoint';
import { newSigningKey, parsePublicKeyring, parseSigningKey, type SigningKey } from '@polku/service-kit';
import { signEvent } from './signing';
import type { LogRecord } from './verify-log';

/** Test material only: a writer's and a sealer's keys, and a log of signed synthetic entries. */
export function testKeys() {
  const writer = newSigningKey('referral-api-1');
  const sealer = newSigningKey('disclosure-sealer-1');
  return {
    writer: parseSigningKey(writer.signingKey),
    sealer: parseSigningKey(sealer.signingKey),
    keyring: parsePublicKeyring(`${writer.publicKey},${sealer.publicKey}`),
    publicKeys: [writer.publicKey, sealer.publicKey],
  };
}

export function disclosedEntry(n: number): CloudEvent {
  const at = new Date(Date.UTC(2026, 0, 1, 8, 0, n)).toISOString();
  return createEvent('fi.polku.disclosure.disclosed.v1', {
    source: '/polku/referral-api',
    subject: 'sr_iBrTLdiVcdGM2D5F6SzwssbOrytF8f-QhyObsIYdSrc',
    time: at,
    data: {
      disclosureId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      subjectRef: 'sr_iBrTLdiVcdGM2D5F6SzwssbOrytF8f-QhyObsIYdSrc',
      referralId: '6d1f3b2a-8c4e-4f7a-b1d2-9e0a3c5b7f11',
      recipient: { organisationId: 'wellbeing-keski-suomi', systemId: 'apotti' },
      dataCategories: ['identity', 'contact'],
      basis: { kind: 'consent', consentId: '3a7c9e21-5b4d-4f8e-a6c2-1d9b0e7f3a42' },
      purpose: 'service-provision',
      at,
    },
  }) as CloudEvent;
}

/** `count` signed entries on one partition and checkpoints every `every` of them, as a sealer would make. */
export function sealedLog(count: number, every: number, keys = testKeys(), partition = 0) {
  const records: LogRecord[] = [];
  const checkpoints: unknown[] = [];
  let previous = GENESIS_HASH;
  let pending: { offset: number; hash: string }[] = [];
  let pendingPrevious = previous;
  for (let offset = 0; offset < count; offset++) {
    const entry = JSON.parse(JSON.stringify(signEvent(disclosedEntry(offset), keys.writer))) as unknown;
    records.push({ partition, offset, entry });
    previous = chainHash(previous, entry);
    pending.push({ offset, hash: previous });
    if (pending.length === every || offset === count - 1) {
      checkpoints.push(buildCheckpoint({ logTopic: 'polku.disclosure.log.v1', partition, previousHash: pendingPrevious, entries: pending, forged: [] }, keys.sealer));
      pendingPrevious = previous;
      pending = [];
    }
  }
  return { records, checkpoints, keyring: keys.keyring, keys };
}

export type { SigningKey };
