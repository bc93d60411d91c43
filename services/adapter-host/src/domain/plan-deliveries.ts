import type { Delivery, ReferralFacts, SectorAdapter } from '@polku/adapter-kit';
import type { RecordPosition } from '@polku/bus';
import { derivedEventId, type CloudEvent, type Party, type ReferralRoutedV1 } from '@polku/contracts';
import type { DeliveryJobData } from './delivery-job';
import type { DisclosureSubject } from './disclosure-gate';

export interface PlanInput {
  routed: CloudEvent<ReferralRoutedV1>;
  facts: ReferralFacts;
  subject: DisclosureSubject;
  adapters: readonly SectorAdapter[];
  /** This host's public base URL. */
  publicUrl: string;
  position?: RecordPosition;
}

/** How a referral's recipient is named in the host's state: its service, else its organisation. */
export const recipientKey = (party: Party): string => party.serviceId ?? party.organisationId;

/**
 * The one delivery id of a referral to a recipient. It derives from the referral, not from the
 * routed event: the router routes again when consent arrives, and a redelivered or later
 * routed event must plan the same id, so BullMQ adds nothing new.
 */
export const deliveryIdFor = (referralId: string, party: Party): string => derivedEventId(referralId, `deliver/${recipientKey(party)}`);

/** One delivery per routed party (lead first, then co-workers) that a registered adapter serves. */
export function planDeliveries(input: PlanInput): DeliveryJobData[] {
  const { routed } = input;
  const parties: [Party, Delivery['role']][] = [[routed.data.lead, 'lead'], ...routed.data.coWorkers.map((p): [Party, Delivery['role']] => [p, 'co-worker'])];
  return parties.flatMap(([recipient, role]) => {
    const adapter = input.adapters.find((candidate) => candidate.serves(recipient));
    if (!adapter) return [];
    const delivery: Delivery = {
      deliveryId: deliveryIdFor(routed.data.referralId, recipient),
      referralId: routed.data.referralId,
      role,
      recipient,
      referral: input.facts,
      callbackUrl: new URL(`/v1/adapters/${adapter.id}/callbacks`, input.publicUrl).toString(),
    };
    return [{ adapterId: adapter.id, delivery, subject: input.subject, routed, ...(input.position ? { position: input.position } : {}) }];
  });
}
