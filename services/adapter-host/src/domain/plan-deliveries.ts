import type { Delivery, ReferralFacts, SectorAdapter } from '@polku/adapter-kit';
import type { RecordPosition } from '@polku/bus';
import { releaseOf, type Release } from '@polku/consent-policy';
import { derivedEventId, type CloudEvent, type DataCategory, type Party, type ReferralRoutedV1 } from '@polku/contracts';
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

/**
 * The routing attributes every delivery carries whatever the categories: codes and bands that
 * identify no one alone, but go to an external system with the need codes, so the log lists them.
 */
export const ROUTING_FIELDS = ['ageBand', 'language', 'legalBasis', 'municipalityCode', 'submittedAt'] as const;

/** The fields of a delivery's facts that belong to a category (`releaseOf`): need codes and urgency, `need-description`. */
const CATEGORY_FACTS = ['needCodes', 'urgency'];

/**
 * Exactly the fields a delivery carries to an external system when `categories` are released:
 * the routing attributes, and need codes and urgency only with `need-description`. A delivery
 * whose release lacks the need codes is not made (the facts cannot go without them).
 */
export function deliveryRelease(categories: readonly DataCategory[]): Release & { carriesNeed: boolean } {
  const release = releaseOf(categories);
  const facts = release.fields.filter((field) => CATEGORY_FACTS.includes(field));
  return { categories: release.categories, fields: [...ROUTING_FIELDS, ...facts].sort(), carriesNeed: facts.length === CATEGORY_FACTS.length };
}

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
