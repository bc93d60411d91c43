import type { DisclosureDisclosedV1, DisclosureDisclosedV2, DisclosureRefusedV1 } from '@polku/contracts';
import type { Sql } from '@polku/db';

/** One line of the disclosure log as the projection keeps it: the event's data and its outcome. */
export type DisclosureEntry = ({ outcome: 'disclosed' } & (DisclosureDisclosedV1 | DisclosureDisclosedV2)) | ({ outcome: 'refused' } & DisclosureRefusedV1);

/**
 * The disclosure-log view in PostgreSQL: one row per release or refusal, by disclosure id (adding
 * the same entry again changes nothing), found by subject reference and time.
 */
export interface DisclosureStore {
  add(entry: DisclosureEntry): Promise<void>;
  /** Entries of one subject with `from <= at <= to`, oldest first. */
  list(subjectRef: string, from: Date, to: Date): Promise<DisclosureEntry[]>;
}

export const DISCLOSURE_TABLES = ['disclosure_entries'] as const;

export function sqlDisclosureStore(db: Sql): DisclosureStore {
  return {
    async add(entry) {
      await db.query('INSERT INTO disclosure_entries (disclosure_id, subject_ref, at, entry) VALUES ($1, $2, $3, $4) ON CONFLICT (disclosure_id) DO NOTHING', [entry.disclosureId, entry.subjectRef, entry.at, JSON.stringify(entry)]);
    },
    async list(subjectRef, from, to) {
      const { rows } = await db.query<{ entry: DisclosureEntry }>('SELECT entry FROM disclosure_entries WHERE subject_ref = $1 AND at BETWEEN $2 AND $3 ORDER BY at, disclosure_id', [subjectRef, from, to]);
      return rows.map((r) => r.entry);
    },
  };
}
