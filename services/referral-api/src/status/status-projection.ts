import type { Bus, ConsumerHandle } from '@polku/bus';
import { TOPICS, type CloudEvent, type DeliverySucceededV1 } from '@polku/contracts';
import type { Vault } from '@polku/personal-data';
import { applyEvent } from '../domain/apply-event';
import type { StatusStore } from './status-store';

export const STATUS_GROUP = 'referral-api.status';

export interface StatusProjectionOptions {
  /** @defaultValue TOPICS.referral and TOPICS.delivery (tests give fresh topics) */
  topics?: { referral: string; delivery: string };
  /** @defaultValue referral-api.status */
  groupId?: string;
  /** When a referral closes or is cancelled, its details are erased from `vault` this long after. */
  erasure?: { vault: Vault; afterMs: number };
}

/** The events after which a referral's details are only kept for the retention period. */
const ENDING_TYPES = new Set(['fi.polku.referral.closed.v1', 'fi.polku.referral.cancelled.v1']);

/**
 * Keeps the status records up to date from the referral topic, and delivery attempts from the
 * delivery topic. From the beginning, so a new deployment (or an emptied Redis) rebuilds every
 * status by replaying the log.
 */
export function startStatusProjection(bus: Bus, store: StatusStore, options: StatusProjectionOptions = {}): Promise<ConsumerHandle> {
  const topics = options.topics ?? TOPICS;
  return bus.consume({
    groupId: options.groupId ?? STATUS_GROUP,
    topics: [topics.referral, topics.delivery],
    fromBeginning: true,
    dedupe: true,
    // One referral's events share a partition and stay in order; different referrals are
    // different records, so partitions can be applied at once (the referral topic has six).
    partitionConcurrency: 6,
    handler: async (event) => {
      await project(store, event);
      // From the event's own time, so a replay sets the very same date.
      if (options.erasure && ENDING_TYPES.has(event.type)) await options.erasure.vault.scheduleErasure(event.subject, new Date(Date.parse(event.time) + options.erasure.afterMs));
    },
  });
}

async function project(store: StatusStore, event: CloudEvent): Promise<void> {
  if (event.type === 'fi.polku.delivery.succeeded.v1') {
    const { referralId, deliveryId, attempts } = event.data as unknown as DeliverySucceededV1;
    await store.putAttempts(referralId, deliveryId, attempts);
    return;
  }
  if (!event.type.startsWith('fi.polku.referral.')) return; // other delivery outcomes are not steps of the status
  const record = await store.getRecord(event.subject);
  const next = applyEvent(record, event);
  if (next && next !== record) await store.putRecord(next);
}
