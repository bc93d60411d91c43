import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One topic as declared in infra/topics.json. */
export interface TopicDeclaration {
  name: string;
  description: string;
  keyedBy: string;
  partitions: number;
  cleanupPolicy: 'delete' | 'compact';
  /** -1 keeps records forever (the log of record). */
  retentionMs: number;
  /** When present, `<name>.dlq` is provisioned too, with this retention. */
  deadLetter?: { retentionMs: number };
  /**
   * The one consumer (a group without its projection generation) this retry topic is for: replays
   * of its dead letters, read by its group `<consumer>.retry` (docs/dead-letters.md). A retry
   * topic has no `.dlq`: a replay that fails again goes to the original topic's.
   */
  retryFor?: string;
}

const FILE = join(import.meta.dirname, '..', 'topics.json');

/** Reads and checks infra/topics.json, reporting every problem at once. */
export function loadTopicDeclarations(file = FILE): TopicDeclaration[] {
  const { topics } = JSON.parse(readFileSync(file, 'utf8')) as { topics: TopicDeclaration[] };
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, t] of topics.entries()) {
    const at = `topics[${i}] (${t.name ?? 'unnamed'})`;
    if (!/^[a-z0-9.-]+$/.test(t.name ?? '')) problems.push(`${at}: name must be lower-case letters, digits, dots and dashes`);
    if (seen.has(t.name)) problems.push(`${at}: declared twice`);
    seen.add(t.name);
    if (!Number.isInteger(t.partitions) || t.partitions < 1) problems.push(`${at}: partitions must be a positive integer`);
    if (t.cleanupPolicy !== 'delete' && t.cleanupPolicy !== 'compact') problems.push(`${at}: cleanupPolicy must be delete or compact`);
    if (!Number.isInteger(t.retentionMs) || (t.retentionMs < 1 && t.retentionMs !== -1)) problems.push(`${at}: retentionMs must be positive or -1`);
    if (!t.keyedBy) problems.push(`${at}: keyedBy must say what the key is`);
    if (t.retryFor !== undefined && t.name !== `polku.retry.v1.${t.retryFor}`) problems.push(`${at}: a retry topic is named polku.retry.v1.<retryFor>`);
    if (t.retryFor !== undefined && t.deadLetter) problems.push(`${at}: a retry topic has no dead-letter topic of its own`);
  }
  if (problems.length > 0) throw new Error(`${file} is invalid:\n  ${problems.join('\n  ')}`);
  return topics;
}
