import { parseEventType } from './event-type-names';

/**
 * The topic each kind of event travels on. Part of the contract: producers publish and
 * consumers subscribe by these names, and infra/topics.json declares each of them.
 */
export const TOPICS = {
  referral: 'polku.referral.events.v1',
  consent: 'polku.consent.events.v1',
  delivery: 'polku.delivery.events.v1',
  disclosure: 'polku.disclosure.log.v1',
  /** The disclosure sealer's signed checkpoints of the disclosure log's hash chain. */
  disclosureCheckpoint: 'polku.disclosure.checkpoints.v1',
  /** What operators did and why (the console's actions, key revocations): docs/dead-letters.md. */
  operatorAction: 'polku.operator.audit.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** `fi.polku.referral.routed.v1` → `polku.referral.events.v1`; a kebab-case entity names its camel-case key (`disclosure-checkpoint` → `disclosureCheckpoint`). */
export function topicForType(type: string): TopicName {
  const entity = parseEventType(type)?.entity.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const topic = entity ? (TOPICS as Record<string, TopicName>)[entity] : undefined;
  if (!topic) throw new RangeError(`no topic carries events of type ${type}`);
  return topic;
}
