import type { NewTopic, TransportAdmin } from './transport/types';

/** One topic as declared in infra/topics.json. */
export interface TopicDefinition {
  name: string;
  partitions: number;
  cleanupPolicy: 'delete' | 'compact';
  /** `-1` keeps records forever. */
  retentionMs: number;
  /** What the record key is, for people reading the definition (e.g. "referral id"). */
  keyedBy: string;
  /** When set, `<name>.dlq` is created too, with the same partition count. */
  deadLetter?: { retentionMs: number };
}

export function deadLetterTopicFor(topic: string): string {
  return `${topic}.dlq`;
}

/** Every topic a set of definitions asks for, dead-letter topics included. */
export function topicsToCreate(definitions: readonly TopicDefinition[]): NewTopic[] {
  return definitions.flatMap((definition) => {
    const main: NewTopic = {
      name: definition.name,
      partitions: definition.partitions,
      configs: { 'cleanup.policy': definition.cleanupPolicy, 'retention.ms': String(definition.retentionMs) },
    };
    if (!definition.deadLetter) return [main];
    const deadLetter: NewTopic = {
      name: deadLetterTopicFor(definition.name),
      partitions: definition.partitions,
      configs: { 'cleanup.policy': 'delete', 'retention.ms': String(definition.deadLetter.retentionMs) },
    };
    return [main, deadLetter];
  });
}

/**
 * Creates the topics that are missing; safe to run at every start. Existing topics are not
 * altered (partition counts and configs of a live topic are changed deliberately, not here).
 * @returns names of the topics it created
 */
export async function ensureTopics(admin: TransportAdmin, definitions: readonly TopicDefinition[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topicsToCreate(definitions).filter((topic) => !existing.has(topic.name));
  if (missing.length > 0) await admin.createTopics(missing);
  return missing.map((topic) => topic.name);
}
