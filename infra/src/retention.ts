import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One kind of data in infra/retention.json. */
export interface RetentionKind {
  kind: string;
  what: string;
  /** The topic it lives on, when it does. */
  topic?: string;
  topicSuffix?: string;
  /** Every topic whose name starts so (the retry topics). */
  topicPrefix?: string;
  tables?: string[];
  retention: string;
  /** -1: kept as long as stated in `retention`, not by time. */
  retentionMs: number;
  legalGround: string;
  enforcedBy: string;
  /** false: Polku's proposal, to be confirmed by the data-protection officer. */
  confirmed: boolean;
}

const FILE = join(import.meta.dirname, '..', 'retention.json');

/** Reads infra/retention.json. */
export function loadRetentionSchedule(file = FILE): RetentionKind[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { kinds: RetentionKind[] }).kinds;
}
