// `npm run disclosures:verify [-- --file <export>] [--keys <keyring>]` and
// `npm run disclosures:export -- --out <file>`: docs/disclosure-log.md.
import { parseArgs } from 'node:util';
import { createKafkajsTransport, namespacedTransport } from '@polku/bus';
import { TOPICS } from '@polku/contracts';
import {
  entryOf, EXPORT_FORMAT, formatPublicKeyring, parsePublicKeyring, readExport, verifyLog, writeExport,
  type DisclosureExport, type VerifyReport,
} from '@polku/disclosure-log';
import { createLogger } from '@polku/service-kit';
import { loadAuditConfig } from '../config';
import { readTopicToEnd } from './read-log';

const USAGE = `usage:
  disclosures:verify [--keys <keyring>]                 walks the disclosure log and its checkpoints on Kafka
  disclosures:verify --file <export> [--keys <keyring>] verifies an auditor's export offline
  disclosures:export --out <file>                       writes an auditor's export
<keyring>: <key id>:<base64 SPKI>,... (default POLKU_DISCLOSURE_PUBLIC_KEYS; for --file, the export's own keys)`;

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { file: { type: 'string' }, out: { type: 'string' }, keys: { type: 'string' } } });

try {
  if (command === 'verify') process.exitCode = await verify(values.file, values.keys);
  else if (command === 'export' && values.out) process.exitCode = await exportLog(values.out);
  else {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
  }
} catch (error) {
  process.stderr.write(`disclosures ${command}: ${(error as Error).message}\n`);
  process.exitCode = 2;
}

async function readLive(keysText: string | undefined): Promise<DisclosureExport> {
  const config = loadAuditConfig();
  const keys = keysText ?? config.POLKU_DISCLOSURE_PUBLIC_KEYS;
  if (!keys) throw new Error('no public keys: set POLKU_DISCLOSURE_PUBLIC_KEYS or give --keys');
  const logger = createLogger({ service: 'disclosures', level: config.LOG_LEVEL });
  const kafka = createKafkajsTransport({ brokers: config.KAFKA_BROKERS, clientId: 'disclosures-audit', logger });
  const transport = config.POLKU_NAMESPACE ? namespacedTransport(kafka, config.POLKU_NAMESPACE) : kafka;
  // Checkpoints first: every checkpoint read then seals entries that the log read after it still holds.
  const checkpoints = await readTopicToEnd(transport, TOPICS.disclosureCheckpoint);
  const log = await readTopicToEnd(transport, TOPICS.disclosure);
  return {
    format: EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    logTopic: TOPICS.disclosure,
    partitions: log.partitions,
    publicKeys: formatPublicKeyring(parsePublicKeyring(keys)).split(','),
    entries: log.records.map((r) => ({ partition: r.partition, offset: Number(r.offset), entry: entryOf(r.value) })),
    checkpoints: checkpoints.records.map((r) => entryOf(r.value)),
  };
}

async function verify(file: string | undefined, keys: string | undefined): Promise<number> {
  const source = file ? readExport(file, keys) : undefined;
  const data = source?.data ?? (await readLive(keys));
  const keyring = source?.keyring ?? parsePublicKeyring(keys ?? data.publicKeys.join(','));
  const report = verifyLog({
    records: data.entries, checkpoints: data.checkpoints, keyring, logTopic: data.logTopic,
    logStart: new Map(data.partitions.map((p) => [p.partition, p.logStart])), partitions: data.partitions.map((p) => p.partition),
  });
  print(report, file ?? 'the disclosure log on Kafka');
  return report.ok ? 0 : 1;
}

async function exportLog(out: string): Promise<number> {
  const data = await readLive(undefined);
  await writeExport(out, data);
  process.stdout.write(`wrote ${out}: ${data.entries.length} entries, ${data.checkpoints.length} checkpoints, ${data.publicKeys.length} public keys\n`);
  return 0;
}

function print(report: VerifyReport, what: string): void {
  for (const p of report.partitions) {
    process.stdout.write(`partition ${p.partition}: ${p.records} entries, sealed through ${p.sealedThrough ?? 'none yet'}, ${p.unsealed} past the last checkpoint\n`);
  }
  if (report.ok) {
    process.stdout.write(`${what}: every entry is signed by its writer and matches what was sealed\n`);
    return;
  }
  const first = report.findings[0]!;
  process.stdout.write(`${what}: FAILS. First: partition ${first.partition} offset ${first.offset}: ${first.kind} (${first.detail})\n`);
  for (const f of report.findings) process.stdout.write(`  ${f.kind.padEnd(18)} partition ${f.partition} offset ${f.offset}: ${f.detail}\n`);
}
