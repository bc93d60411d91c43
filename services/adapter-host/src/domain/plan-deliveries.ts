import type { Delivery, ReferralFacts, SectorAdapter } from '@polku/adapter-kit';
import type { RecordPosition } from '@polku/bus';
import { derivedEventId, type CloudEvent, type Party, type ReferralRoutedV1 } from '@polku/contracts';
import type { DeliveryJobData } from './delivery-job';

export interface PlanInput {
  routed: CloudEvent<ReferralRoutedV1>;
  facts: ReferralFacts;
  adapters: readonly SectorAdapter[];
  /** This host's public base URL. */
  publicUrl: string;
  position?: RecordPosition;
}

/**
 * One delivery per routed party (lead first, then co-workers) that a registered adapter
 * serves. The delivery id derives from the routed event, so a redelivered event plans the
 * same ids and BullMQ adds nothing new.
 */
export function planDeliveries(input: PlanInput): DeliveryJobData[] {
  const { routed } = input;
  const parties: [Party, Delivery['role']][] = [[routed.data.lead, 'lead'], ...routed.data.coWorkers.map((p): [Party, Delivery['role']] => [p, 'co-worker'])];
  return parties.flatMap(([recipient, role]) => {
    const adapter = input.adapters.find((candidate) => candidate.serves(recipient));
    if (!adapter) return [];
    const delivery: Delivery = {
      deliveryId: derivedEventId(routed.id, `deliver/${recipient.serviceId ?? recipient.organisationId}`),
      referralId: routed.data.referralId,
      role,
      recipient,
      referral: input.facts,
      callbackUrl: new URL(`/v1/adapters/${adapter.id}/callbacks`, input.publicUrl).toString(),
    };
    return [{ adapterId: adapter.id, delivery, routed, ...(input.position ? { position: input.position } : {}) }];
  });
}
