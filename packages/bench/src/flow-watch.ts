import { randomUUID } from 'node:crypto';
import type { Transport, TransportConsumer } from '@polku/bus';
import { TOPICS } from '@polku/contracts';

/** When (Kafka record timestamps, epoch ms) each kind of event of a referral first appeared. */
export interface ReferralTrail {
  firstSeen: Map<string, number>;
  /** Distinct event ids per type: more than one `delivered` for one referral's single recipient is a duplicate. */
  eventIds: Map<string, Set<string>>;
}

/**
 * Reads the backbone's topics as an operator's topic browser would, in a group of its own from the
 * first record: every referral event (what became of each referral), delivery failures and every
 * dead letter. The figures end to end are counted here, on the topics, not in any service.
 */
export interface FlowWatch {
  trail(referralId: string): ReferralTrail | undefined;
  deliveryFailures(): number;
  deadLetters(): Map<string, number>;
  stop(): Promise<void>;
}

export async function watchFlow(transport: Transport): Promise<FlowWatch> {
  const trails = new Map<string, ReferralTrail>();
  let deliveryFailures = 0;
  const deadLetters = new Map<string, number>();
  const consumer: TransportConsumer = transport.consumer({ groupId: `bench-watch-${randomUUID()}`, partitionConcurrency: 6, maxWaitTimeMs: 100 });
  const topics = Object.values(TOPICS);
  await consumer.connect();
  await consumer.subscribe([...topics, ...topics.map((t) => `${t}.dlq`)], true);
  await consumer.run(async (record) => {
    if (record.topic.endsWith('.dlq')) {
      deadLetters.set(record.topic, (deadLetters.get(record.topic) ?? 0) + 1);
      return;
    }
    const type = record.headers.ce_type;
    if (type === 'fi.polku.delivery.failed.v1') deliveryFailures += 1;
    if (record.topic !== TOPICS.referral || !type || !record.key) return;
    const referralId = record.key.toString();
    const trail = trails.get(referralId) ?? { firstSeen: new Map(), eventIds: new Map() };
    trails.set(referralId, trail);
    if (!trail.firstSeen.has(type)) trail.firstSeen.set(type, Number(record.timestamp));
    const ids = trail.eventIds.get(type) ?? new Set();
    ids.add(record.headers.ce_id ?? '');
    trail.eventIds.set(type, ids);
  });
  return {
    trail: (referralId) => trails.get(referralId),
    deliveryFailures: () => deliveryFailures,
    deadLetters: () => deadLetters,
    stop: () => consumer.disconnect(),
  };
}
