import type { SectorAdapter } from '@polku/adapter-kit';
import type { EventHandler } from '@polku/bus';
import type { ReferralRoutedV1, ReferralSubmittedV1 } from '@polku/contracts';
import { PolkuError } from '@polku/service-kit';
import type { Queue } from 'bullmq';
import { enqueueDelivery } from './deliveries/delivery-queue';
import type { DeliveryJobData } from './domain/delivery-job';
import { planDeliveries } from './domain/plan-deliveries';
import { fromWire } from './domain/wire';
import type { ReferralStore } from './store/referral-store';

export interface ReferralHandlerDeps {
  store: ReferralStore;
  queue: Queue<DeliveryJobData>;
  adapters: readonly SectorAdapter[];
  publicUrl: string;
  attempts: number;
}

/** `submitted` → remember its routing facts; `routed` → a delivery job per party an adapter serves. */
export function referralHandler(deps: ReferralHandlerDeps): EventHandler {
  return async (event, context) => {
    if (event.type === 'fi.polku.referral.submitted.v1') {
      const { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt, referralId } = fromWire<ReferralSubmittedV1>(event).data;
      await deps.store.saveFacts(referralId, { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt });
      return;
    }
    if (event.type !== 'fi.polku.referral.routed.v1') return;
    const routed = fromWire<ReferralRoutedV1>(event);
    const facts = await deps.store.facts(routed.data.referralId);
    // Both events share a partition, so `submitted` is always handled first; missing facts mean lost state.
    if (!facts) throw new PolkuError('ADAPTER_HOST_FACTS_MISSING', `no submitted facts for referral ${routed.data.referralId}`);
    const { topic, partition, offset } = context;
    const jobs = planDeliveries({ routed, facts, adapters: deps.adapters, publicUrl: deps.publicUrl, position: { topic, partition, offset } });
    for (const job of jobs) {
      const { delivery } = job;
      await deps.store.saveDelivery(delivery.referralId, { deliveryId: delivery.deliveryId, adapterId: job.adapterId, role: delivery.role, recipient: delivery.recipient, correlationId: routed.correlationid ?? routed.id });
      const added = await enqueueDelivery(deps.queue, job, { attempts: deps.attempts });
      context.logger.info({ deliveryId: delivery.deliveryId, adapterId: job.adapterId, added }, added ? 'delivery queued' : 'delivery already queued');
    }
  };
}
