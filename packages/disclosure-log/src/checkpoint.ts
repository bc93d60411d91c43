import { createEvent, type CloudEvent } from '@polku/contracts';
import type { SigningKey } from '@polku/service-kit';
import { signEvent, type SignatureProblem } from './signing';

export const CHECKPOINT_TYPE = 'fi.polku.disclosure-checkpoint.sealed.v1';

/** One sealed entry: its offset and the chain hash after it. */
export interface SealedEntry {
  offset: number;
  hash: string;
}

/** The data of a checkpoint (schemas/disclosure-checkpoint/disclosure-checkpoint.sealed.v1.json). */
export interface CheckpointData {
  /** The disclosure-log topic sealed (without a deployment's namespace). */
  logTopic: string;
  partition: number;
  fromOffset: number;
  toOffset: number;
  count: number;
  /** The chain hash before `fromOffset`: the previous checkpoint's `lastHash`, or the genesis hash. */
  previousHash: string;
  lastHash: string;
  /** Every entry of the range with its chain hash, so a verifier names the exact offset where a log departs from what was sealed. */
  entries: SealedEntry[];
  /** Entries of the range with no valid service signature, as the sealer found them. */
  forged: { offset: number; problem: SignatureProblem }[];
  sealedAt: string;
}

export interface CheckpointInput {
  logTopic: string;
  partition: number;
  previousHash: string;
  entries: SealedEntry[];
  forged: { offset: number; problem: SignatureProblem }[];
  sealedAt?: Date;
}

/** A signed checkpoint event for a non-empty range of one partition. */
export function buildCheckpoint(input: CheckpointInput, key: SigningKey, source = '/polku/disclosure-sealer'): CloudEvent<CheckpointData> {
  const first = input.entries[0];
  const last = input.entries.at(-1);
  if (!first || !last) throw new RangeError('a checkpoint seals at least one entry');
  const sealedAt = (input.sealedAt ?? new Date()).toISOString();
  const data: CheckpointData = {
    logTopic: input.logTopic,
    partition: input.partition,
    fromOffset: first.offset,
    toOffset: last.offset,
    count: input.entries.length,
    previousHash: input.previousHash,
    lastHash: last.hash,
    entries: input.entries,
    forged: input.forged,
    sealedAt,
  };
  const event = createEvent(CHECKPOINT_TYPE, { source, subject: `p${input.partition}-${first.offset}-${last.offset}`, time: sealedAt, data });
  return signEvent(event as unknown as CloudEvent, key) as unknown as CloudEvent<CheckpointData>;
}
