import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parsePublicKeyring, type PublicKeyring } from '@polku/service-kit';
import type { LogRecord } from './verify-log';

export const EXPORT_FORMAT = 'polku-disclosure-export/1';

/**
 * An auditor's export: everything needed to verify the disclosure log offline with the public
 * keys alone. It holds entries of the log as they are (pseudonymous subject references, no
 * identity codes or names), so it is handled as the log itself is.
 */
export interface DisclosureExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  logTopic: string;
  /** Per partition: the first offset still held (older ones went by retention) and the next offset when exported. */
  partitions: { partition: number; logStart: number; logEnd: number }[];
  /** `<key id>:<base64 SPKI>` of every writer and of the sealer, as configured when exported. */
  publicKeys: string[];
  entries: LogRecord[];
  checkpoints: unknown[];
}

export async function writeExport(file: string, data: DisclosureExport): Promise<void> {
  await writeFile(file, `${JSON.stringify(data, null, 1)}\n`, { mode: 0o600 });
}

export interface ReadExport {
  data: DisclosureExport;
  keyring: PublicKeyring;
}

/** Reads an export; `keys` (the keyring in text form, from the auditor's own copy) overrides the one inside. */
export function readExport(file: string, keys?: string): ReadExport {
  const data = JSON.parse(readFileSync(file, 'utf8')) as DisclosureExport;
  if (data.format !== EXPORT_FORMAT) throw new Error(`${file} is not a disclosure-log export (format ${EXPORT_FORMAT})`);
  if (!Array.isArray(data.entries) || !Array.isArray(data.checkpoints) || !Array.isArray(data.partitions)) throw new Error(`${file} lacks entries, checkpoints or partitions`);
  return { data, keyring: parsePublicKeyring(keys ?? data.publicKeys.join(',')) };
}
