import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH } from './chain';
import { buildCheckpoint } from './checkpoint';
import { EXPORT_FORMAT, readExport, writeExport, type DisclosureExport } from './export-file';
import { newSigningKey, parseSigningKey } from '@polku/service-kit';
import { sealedLog } from './test-entries';
import { verifyLog, type LogRecord } from './verify-log';

const LOG = 'polku.disclosure.log.v1';

/** Writes the log as an auditor's export, lets `tamper` change the file's contents, and verifies what it reads back. */
async function verifyExport(tamper: (data: DisclosureExport) => void, count = 10, every = 4) {
  const log = sealedLog(count, every);
  const data: DisclosureExport = {
    format: EXPORT_FORMAT, exportedAt: new Date().toISOString(), logTopic: LOG,
    partitions: [{ partition: 0, logStart: 0, logEnd: count }], publicKeys: log.keys.publicKeys,
    entries: log.records, checkpoints: log.checkpoints,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'polku-export-')), 'export.json');
  await writeExport(file, data);
  const edited = readExport(file).data;
  tamper(edited);
  await writeExport(file, edited);
  const { data: read, keyring } = readExport(file);
  return verifyLog({ records: read.entries, checkpoints: read.checkpoints, keyring, logTopic: read.logTopic, logStart: new Map([[0, 0]]) });
}

describe('chaining', () => {
  it('links each entry to the hash before it, from the genesis hash', () => {
    const first = chainHash(GENESIS_HASH, { a: 1 });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { a: 1 })).toBe(first);
    expect(chainHash(first, { a: 1 })).not.toBe(first);
    expect(chainHash(GENESIS_HASH, { a: 2 })).not.toBe(first);
  });
});

describe('verifying an auditor export offline', () => {
  it('accepts an untouched export with the public keys alone', async () => {
    const report = await verifyExport(() => {});
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.partitions).toEqual([{ partition: 0, records: 10, sealedThrough: 9, unsealed: 0 }]);
  });

  it('names an altered entry at its offset', async () => {
    const report = await verifyExport((data) => {
      (data.entries[6]!.entry as { data: { dataCategories: string[] } }).data.dataCategories = ['identity'];
    });
    expect(report.ok).toBe(false);
    expect(report.findings[0]).toMatchObject({ kind: 'altered', partition: 0, offset: 6 });
    expect(report.findings).toHaveLength(1);
  });

  it('names a removed entry at its offset', async () => {
    const report = await verifyExport((data) => void data.entries.splice(3, 1));
    expect(report.findings).toEqual([{ kind: 'missing', partition: 0, offset: 3, detail: expect.stringContaining('sealed') }]);
  });

  it('names the last entry removed, where nothing after it shows the gap', async () => {
    const report = await verifyExport((data) => void data.entries.pop());
    expect(report.findings).toEqual([{ kind: 'missing', partition: 0, offset: 9, detail: expect.any(String) }]);
  });

  it('names two swapped entries at the first of them', async () => {
    const report = await verifyExport((data) => {
      [data.entries[4], data.entries[5]] = [data.entries[5]!, data.entries[4]!];
    });
    expect(report.findings[0]).toMatchObject({ kind: 'out-of-order', partition: 0, offset: 5 });
    expect(report.ok).toBe(false);
  });

  it('names swapped entries at the first of them when their offsets were swapped back too', async () => {
    const report = await verifyExport((data) => {
      const [a, b] = [data.entries[4]!, data.entries[5]!];
      [a.entry, b.entry] = [b.entry, a.entry];
    });
    expect(report.findings.map((f) => [f.kind, f.offset])).toEqual([['out-of-order', 4], ['out-of-order', 5]]);
  });

  it('names a removed entry even when the offsets after it were renumbered and every hash recomputed', async () => {
    const report = await verifyExport((data) => {
      data.entries.splice(2, 1);
      data.entries.forEach((record, i) => (record.offset = i));
    });
    expect(report.findings[0]).toMatchObject({ kind: 'out-of-order', offset: 2, detail: 'the entry sealed at offset 3' });
    expect(report.findings.at(-1)).toMatchObject({ kind: 'missing', offset: 9 });
  });

  it('names a forged entry slipped in, and one signed by a key nobody holds', async () => {
    const stranger = parseSigningKey(newSigningKey('intruder-1').signingKey);
    const report = await verifyExport((data) => {
      const copy = JSON.parse(JSON.stringify(data.entries[1]!.entry)) as Record<string, unknown>;
      delete copy.signature;
      delete copy.signingkeyid;
      data.entries.push({ partition: 0, offset: 10, entry: copy } as LogRecord);
    });
    expect(report.findings).toEqual([{ kind: 'forged', partition: 0, offset: 10, detail: 'no service signature' }]);
    expect(stranger.keyId).toBe('intruder-1');
  });

  it('refuses a checkpoint not signed by the sealer, and a deleted checkpoint shows as a gap', async () => {
    const report = await verifyExport((data) => {
      (data.checkpoints[1] as { data: { lastHash: string } }).data.lastHash = GENESIS_HASH;
    });
    expect(report.findings[0]).toMatchObject({ kind: 'checkpoint-invalid', offset: 4 });
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: 'checkpoint-gap', offset: 8 }));
  });

  it('keeps entries past the last checkpoint apart: signed, but not yet sealed', () => {
    const log = sealedLog(6, 4);
    const report = verifyLog({ records: log.records, checkpoints: log.checkpoints.slice(0, 1), keyring: log.keyring, logTopic: LOG });
    expect(report.ok).toBe(true);
    expect(report.partitions[0]).toMatchObject({ sealedThrough: 3, unsealed: 2 });
  });

  it('does not count entries gone by retention as missing', () => {
    const log = sealedLog(8, 4);
    const report = verifyLog({ records: log.records.slice(4), checkpoints: log.checkpoints, keyring: log.keyring, logTopic: LOG, logStart: new Map([[0, 4]]) });
    expect(report.findings).toEqual([]);
  });

  it('accepts a checkpoint published twice (a sealer that died before recording it)', () => {
    const log = sealedLog(4, 4);
    const again = buildCheckpoint({ logTopic: LOG, partition: 0, previousHash: GENESIS_HASH, entries: (log.checkpoints[0] as { data: { entries: { offset: number; hash: string }[] } }).data.entries, forged: [] }, log.keys.sealer);
    expect(verifyLog({ records: log.records, checkpoints: [...log.checkpoints, again], keyring: log.keyring, logTopic: LOG }).ok).toBe(true);
  });
});
