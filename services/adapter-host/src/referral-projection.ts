import type { SectorAdapter } from '@polku/adapter-kit';
import type { HandlerContext } from '@polku/bus';
import type { ReferralAwaitingConsentV1, ReferralDeliveredV1, ReferralSubmittedV1 } from '@polku/contracts';
import type { ConsentDecider } from '@polku/consent-policy/client';
import type { ProjectionSpec } from '@polku/projection';
import type { Queue } from 'bullmq';
import type { DeliveryJobData } from './domain/delivery-job';
import { recipientKey } from './domain/plan-deliveries';
import { fromWire } from './domain/wire';
import { planRouted } from './plan-routed';
import { referralStore, type ReferralStore } from './store/referral-store';

/** The tables the projection writes from the topic, emptied by a rebuild. The delivery ledger is not one of them. */
export const PROJECTION_TABLES = ['adapter_host_referrals', 'adapter_host_recipients'] as const;

export interface ReferralProjectionDeps {
  /** @defaultValue `adapter-host` */
  name?: string;
  referralTopic: string;
  queue: Queue<DeliveryJobData>;
  adapters: readonly SectorAdapter[];
  decider: ConsentDecider;
  publicUrl: string;
  attempts: number;
}

/**
 * The adapter host's read model of the referral topic, each event applied in the transaction
 * that records it as handled: `submitted` → its routing facts and whom consent is about;
 * `routed` → a delivery job per party an adapter serves that consent (or statute, or a
 * self-referral) covers and that has none yet; `awaiting-consent` → the recipient waits (a
 * queued job is stopped by the check at delivery time); `delivered` (the host's own) → the
 * recipient is delivered, which a restored database learns back from the topic.
 */
export function referralProjection(deps: ReferralProjectionDeps): ProjectionSpec {
  return {
    name: deps.name ?? 'adapter-host',
    topics: [deps.referralTopic],
    tables: PROJECTION_TABLES,
    async apply(tx, event, context) {
      const store = referralStore(tx);
      switch (event.type) {
        case 'fi.polku.referral.submitted.v1':
          return onSubmitted(store, fromWire<ReferralSubmittedV1>(event).data);
        case 'fi.polku.referral.awaiting-consent.v1':
          return onAwaitingConsent(store, fromWire<ReferralAwaitingConsentV1>(event).data, deps.adapters, context);
        case 'fi.polku.referral.routed.v1':
          return planRouted({ ...deps, store }, fromWire(event), context);
        case 'fi.polku.referral.delivered.v1':
          return onDelivered(store, fromWire<ReferralDeliveredV1>(event).data);
      }
    },
  };
}

async function onSubmitted(store: ReferralStore, data: ReferralSubmittedV1): Promise<void> {
  const { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt, referralId, subjectRef, submitter } = data;
  await store.saveFacts(referralId, { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt });
  await store.saveSubject(referralId, { ...(subjectRef ? { subjectRef } : {}), submitterRole: submitter.role, submitterOrganisationId: submitter.organisationId, legalBasis });
}

async function onAwaitingConsent(store: ReferralStore, data: ReferralAwaitingConsentV1, adapters: readonly SectorAdapter[], context: HandlerContext): Promise<void> {
  const { referralId, recipient } = data;
  if (!adapters.some((adapter) => adapter.serves(recipient))) return;
  const key = recipientKey(recipient);
  const current = await store.recipient(referralId, key);
  if (current?.state === 'delivered' || current?.state === 'failed') return;
  await store.markRecipient(referralId, key, { state: 'waiting', reason: 'awaiting-consent', ...(current?.deliveryId ? { deliveryId: current.deliveryId } : {}) });
  context.logger.info({ referralId, recipient: key }, 'delivery waits for consent');
}

/** The worker wrote this with the event; a rebuilt or restored store learns it here. */
async function onDelivered(store: ReferralStore, data: ReferralDeliveredV1): Promise<void> {
  await store.recordOutcome(data.referralId, recipientKey(data.recipient), { state: 'delivered', deliveryId: data.deliveryId });
  await store.noteDelivered(data.deliveryId);
}
