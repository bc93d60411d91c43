import { chainHash, GENESIS_HASH } from './chain';
import { CHECKPOINT_TYPE, type CheckpointData } from './checkpoint';
import type { PublicKeyring } from '@polku/service-kit';
import { verifyCheckpointSignature, verifyEntrySignature } from './signing';

/** One record of the disclosure log as a verifier reads it (from Kafka, or from an export). */
export interface LogRecord {
  partition: number;
  offset: number;
  /** The record's value as the chain takes it (`entryOf`). */
  entry: unknown;
}

export type FindingKind =
  /** No valid service signature: unsigned, an unknown key, another service's key, or not an event at all. */
  | 'forged'
  /** Signed by a known key, but the entry no longer matches its signature or what was sealed at its offset. */
  | 'altered'
  /** Sealed (or, past the last checkpoint, expected between two offsets) but not in the log. */
  | 'missing'
  /** A genuine entry that is not where the sealer sealed it: moved, swapped or repeated. */
  | 'out-of-order'
  /** A checkpoint without the sealer's valid signature, or that contradicts another. */
  | 'checkpoint-invalid'
  /** Checkpoints that do not link up: one before this offset is missing. */
  | 'checkpoint-gap';

export interface Finding {
  kind: FindingKind;
  partition: number;
  offset: number;
  detail: string;
}

export interface VerifyInput {
  /** The log's records in the order read (offset order per partition, unless someone changed it). */
  records: readonly LogRecord[];
  /** Checkpoint events as read from their topic or an export. */
  checkpoints: readonly unknown[];
  /** Public keys of the writers and of the sealer. */
  keyring: PublicKeyring;
  /** The disclosure-log topic the checkpoints must name. */
  logTopic: string;
  /** Per partition, the first offset still held (older ones went by retention): sealed offsets below it are not missing. */
  logStart?: ReadonlyMap<number, number>;
  /** Partitions of the log, including empty ones. @defaultValue those of the records and checkpoints */
  partitions?: readonly number[];
}

export interface PartitionSummary {
  partition: number;
  records: number;
  /** The last offset covered by a valid checkpoint, if any. */
  sealedThrough: number | undefined;
  /** Records past the last checkpoint: signatures checked, chain not yet sealed. */
  unsealed: number;
}

export interface VerifyReport {
  ok: boolean;
  /** Every finding, by partition and then in the order the log was read: the first of a partition is the first bad entry. */
  findings: Finding[];
  partitions: PartitionSummary[];
}

interface Sealed {
  hash: string;
  previous: string;
}

/**
 * Walks a disclosure log against its checkpoints with the public keys alone, and names every
 * entry that is forged, altered, missing or out of order, at its partition and offset.
 *
 * Each entry is checked on its own: its signature against the writer's public key, and, where a
 * checkpoint covers its offset, its chain link (the hash of the sealed hash before it and the
 * entry) against the hash the sealer signed for that offset. So one bad entry never hides or
 * blames the ones after it, and a rewritten export cannot move a finding away from its offset.
 */
export function verifyLog(input: VerifyInput): VerifyReport {
  const findings: Finding[] = [];
  const sealedByPartition = readCheckpoints(input, findings);
  const byPartition = new Map<number, LogRecord[]>();
  for (const record of input.records) {
    const list = byPartition.get(record.partition) ?? [];
    list.push(record);
    byPartition.set(record.partition, list);
  }
  const partitions = [...new Set([...(input.partitions ?? []), ...byPartition.keys(), ...sealedByPartition.keys()])].sort((a, b) => a - b);
  const summaries = partitions.map((partition) =>
    walkPartition(partition, byPartition.get(partition) ?? [], sealedByPartition.get(partition) ?? new Map(), input, findings));
  findings.sort((a, b) => a.partition - b.partition);
  return { ok: findings.length === 0, findings, partitions: summaries };
}

function walkPartition(partition: number, records: LogRecord[], sealed: Map<number, Sealed>, input: VerifyInput, findings: Finding[]): PartitionSummary {
  const report = (kind: FindingKind, offset: number, detail: string) => findings.push({ kind, partition, offset, detail });
  const sealedOffsets = [...sealed.keys()].sort((a, b) => a - b);
  const sealedThrough = sealedOffsets.at(-1);
  const present = new Set(records.map((r) => r.offset));
  const start = input.logStart?.get(partition) ?? Number.NEGATIVE_INFINITY;
  let last: number | undefined;
  let unsealed = 0;
  for (const record of records) {
    const { offset } = record;
    if (last !== undefined && offset <= last) {
      report('out-of-order', offset, `comes after offset ${last}`);
      continue;
    }
    // Offsets skipped between the last record and this one.
    const skipped = between(last ?? start, offset, sealedOffsets, sealedThrough, last === undefined);
    const skippedLater = skipped.filter((o) => present.has(o));
    if (skippedLater.length > 0) report('out-of-order', offset, `comes before offset ${skippedLater[0]}`);
    for (const o of skipped.filter((o) => !present.has(o))) report('missing', o, sealed.has(o) ? 'sealed by a checkpoint but not in the log' : 'a gap in the offsets past the last checkpoint');
    last = offset;
    if (skippedLater.length > 0) continue;

    const signature = verifyEntrySignature(record.entry, input.keyring);
    if (!signature.ok) {
      const kind = signature.problem === 'bad-signature' ? 'altered' : 'forged';
      report(kind, offset, describeSignatureProblem(signature.problem, signature.keyId));
      continue;
    }
    const seal = sealed.get(offset);
    if (!seal) {
      // Past the last checkpoint, or in a range whose checkpoint is missing (a checkpoint-gap finding).
      unsealed += 1;
      continue;
    }
    if (chainHash(seal.previous, record.entry) === seal.hash) continue;
    const sealedAt = whereSealed(record.entry, offset, sealed, sealedOffsets);
    if (sealedAt !== undefined) report('out-of-order', offset, `the entry sealed at offset ${sealedAt}`);
    else report('altered', offset, 'validly signed, but not the entry sealed at this offset (replaced, or re-signed with a writer key)');
  }
  // Sealed entries at the end that the log no longer has.
  for (const o of sealedOffsets) if (o > (last ?? Number.NEGATIVE_INFINITY) && o >= start && !present.has(o)) report('missing', o, 'sealed by a checkpoint but not in the log');
  return { partition, records: records.length, sealedThrough, unsealed };
}

/**
 * Offsets expected strictly between `from` and `to`: the sealed ones, and past the last
 * checkpoint every whole number (a writer's producer leaves no gaps).
 */
function between(from: number, to: number, sealedOffsets: number[], sealedThrough: number | undefined, first: boolean): number[] {
  const out = sealedOffsets.filter((o) => (first ? o >= from : o > from) && o < to);
  if (!first) {
    const tailFrom = Math.max(from, sealedThrough ?? Number.NEGATIVE_INFINITY) + 1;
    // A jump of millions is one finding, not millions.
    for (let o = tailFrom; o < Math.min(to, tailFrom + 1000); o++) if (!out.includes(o)) out.push(o);
  }
  return out.sort((a, b) => a - b);
}

/** Where a moved entry was sealed, looking near its offset. */
function whereSealed(entry: unknown, offset: number, sealed: Map<number, Sealed>, sealedOffsets: number[]): number | undefined {
  const at = sealedOffsets.indexOf(offset);
  for (const o of sealedOffsets.slice(Math.max(0, at - 64), at + 65)) {
    if (o === offset) continue;
    const seal = sealed.get(o)!;
    if (chainHash(seal.previous, entry) === seal.hash) return o;
  }
  return undefined;
}

function describeSignatureProblem(problem: string, keyId: string | undefined): string {
  switch (problem) {
    case 'unsigned': return 'no service signature';
    case 'unknown-key': return `signed with key ${keyId}, which no writer holds`;
    case 'bad-signature': return `does not match its signature by key ${keyId}: changed after it was signed`;
    case 'wrong-signer': return `signed with key ${keyId}, which is not a key of the service it claims to come from`;
    default: return 'not an event at all';
  }
}

/** Valid checkpoints by partition as offset → sealed hash and the hash before it; every problem as a finding. */
function readCheckpoints(input: VerifyInput, findings: Finding[]): Map<number, Map<number, Sealed>> {
  const byPartition = new Map<number, Map<number, Sealed>>();
  const accepted: CheckpointData[] = [];
  for (const candidate of input.checkpoints) {
    const data = checkpointData(candidate);
    const at = { partition: data?.partition ?? -1, offset: data?.fromOffset ?? -1 };
    if (!data) {
      findings.push({ kind: 'checkpoint-invalid', ...at, detail: 'not a checkpoint event' });
      continue;
    }
    if (data.logTopic !== input.logTopic) continue;
    const signature = verifyCheckpointSignature(candidate, input.keyring);
    if (!signature.ok) {
      findings.push({ kind: 'checkpoint-invalid', ...at, detail: `checkpoint of offsets ${data.fromOffset}–${data.toOffset}: ${describeSignatureProblem(signature.problem, signature.keyId)}` });
      continue;
    }
    const inconsistency = inconsistent(data);
    if (inconsistency) {
      findings.push({ kind: 'checkpoint-invalid', ...at, detail: `checkpoint of offsets ${data.fromOffset}–${data.toOffset}: ${inconsistency}` });
      continue;
    }
    const sealed = byPartition.get(data.partition) ?? new Map<number, Sealed>();
    byPartition.set(data.partition, sealed);
    let previous = data.previousHash;
    for (const entry of data.entries) {
      const known = sealed.get(entry.offset);
      if (known && known.hash !== entry.hash) {
        findings.push({ kind: 'checkpoint-invalid', partition: data.partition, offset: entry.offset, detail: 'two signed checkpoints seal different entries at this offset' });
      } else sealed.set(entry.offset, { hash: entry.hash, previous });
      previous = entry.hash;
    }
    accepted.push(data);
  }
  // Each checkpoint's previous hash must be the hash sealed just before it (or the genesis hash for the first).
  for (const data of accepted) {
    const sealed = byPartition.get(data.partition)!;
    const before = [...sealed.keys()].filter((o) => o < data.fromOffset).sort((a, b) => b - a)[0];
    const expected = before === undefined ? undefined : sealed.get(before)!.hash;
    if (expected !== undefined && expected !== data.previousHash) {
      findings.push({ kind: 'checkpoint-gap', partition: data.partition, offset: data.fromOffset, detail: `the checkpoint from offset ${data.fromOffset} does not link to the one sealing offset ${before}: a checkpoint between them is missing` });
    }
  }
  return byPartition;
}

function checkpointData(candidate: unknown): CheckpointData | undefined {
  if (candidate === null || typeof candidate !== 'object') return undefined;
  const event = candidate as { type?: unknown; data?: unknown };
  if (event.type !== CHECKPOINT_TYPE || event.data === null || typeof event.data !== 'object') return undefined;
  const data = event.data as CheckpointData;
  if (!Number.isInteger(data.partition) || !Array.isArray(data.entries) || typeof data.previousHash !== 'string') return undefined;
  return data;
}

function inconsistent(data: CheckpointData): string | undefined {
  if (data.count !== data.entries.length) return 'its count is not its number of entries';
  if (data.entries[0]?.offset !== data.fromOffset || data.entries.at(-1)?.offset !== data.toOffset) return 'its offset range is not that of its entries';
  if (data.entries.at(-1)?.hash !== data.lastHash) return 'its last hash is not that of its last entry';
  for (let i = 1; i < data.entries.length; i++) if (data.entries[i]!.offset <= data.entries[i - 1]!.offset) return 'its entries are not in offset order';
  return undefined;
}

export { GENESIS_HASH };
