import type { IncomingRecord } from '@polku/bus';
import type { Sql } from '@polku/db';
import { chainHash, entryOf, GENESIS_HASH, verifyEntrySignature, type PublicKeyring, type SignatureProblem } from '@polku/disclosure-log';

/** What sealing one record did. */
export type SealOutcome =
  | { sealed: true; offset: number; hash: string; problem: SignatureProblem | undefined }
  /** Its offset is behind the partition's head: a redelivery, already sealed. */
  | { sealed: false };

/**
 * Chains one record of the disclosure log, inside `tx`: the partition's head is locked, the
 * record is checked against its writer's public key, its row written and the head moved on, all
 * or nothing. Every record is chained, a forged one too (with why), so none can hide from the
 * chain; offsets the head has passed are redeliveries and change nothing.
 */
export async function sealRecord(tx: Sql, record: IncomingRecord, keyring: PublicKeyring): Promise<SealOutcome> {
  const offset = Number(record.offset);
  await tx.query(
    'INSERT INTO disclosure_seal_heads (topic, partition, next_offset, last_hash) VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING',
    [record.topic, record.partition, GENESIS_HASH],
  );
  const { rows } = await tx.query<{ next_offset: string; last_hash: string }>(
    'SELECT next_offset, last_hash FROM disclosure_seal_heads WHERE topic = $1 AND partition = $2 FOR UPDATE', [record.topic, record.partition]);
  const head = rows[0]!;
  if (offset < Number(head.next_offset)) return { sealed: false };
  const entry = entryOf(record.value);
  const hash = chainHash(head.last_hash, entry);
  const check = verifyEntrySignature(entry, keyring);
  const problem = check.ok ? undefined : check.problem;
  await tx.query(
    'INSERT INTO disclosure_seal_entries (topic, partition, "offset", hash, problem, signer_key_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [record.topic, record.partition, offset, hash, problem ?? null, check.keyId ?? null],
  );
  await tx.query(
    'UPDATE disclosure_seal_heads SET next_offset = $3, last_hash = $4, updated_at = now() WHERE topic = $1 AND partition = $2',
    [record.topic, record.partition, offset + 1, hash],
  );
  return { sealed: true, offset, hash, problem };
}
