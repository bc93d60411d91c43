import type { Bus, ConsumerHandle } from '@polku/bus';
import { TOPICS, type CloudEvent, type DisclosureDisclosedV1, type DisclosureRefusedV1 } from '@polku/contracts';
import type { DisclosureStore } from './disclosure-store';

export const DISCLOSURE_GROUP = 'referral-api.disclosures';

export interface DisclosureProjectionOptions {
  /** @defaultValue TOPICS.disclosure (tests give a fresh topic) */
  topic?: string;
  /** @defaultValue referral-api.disclosures */
  groupId?: string;
}

/**
 * Keeps the queryable disclosure log from the disclosure topic. From the beginning, so an
 * emptied Redis is rebuilt by replaying the log (the topic is kept five years).
 */
export function startDisclosureProjection(bus: Bus, store: DisclosureStore, options: DisclosureProjectionOptions = {}): Promise<ConsumerHandle> {
  return bus.consume({
    groupId: options.groupId ?? DISCLOSURE_GROUP,
    topics: [options.topic ?? TOPICS.disclosure],
    fromBeginning: true,
    dedupe: true,
    handler: (event) => project(store, event),
  });
}

async function project(store: DisclosureStore, event: CloudEvent): Promise<void> {
  if (event.type === 'fi.polku.disclosure.disclosed.v1') {
    await store.add({ outcome: 'disclosed', ...(event.data as unknown as DisclosureDisclosedV1) });
  } else if (event.type === 'fi.polku.disclosure.refused.v1') {
    await store.add({ outcome: 'refused', ...(event.data as unknown as DisclosureRefusedV1) });
  }
}
