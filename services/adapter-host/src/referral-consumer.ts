import type { SectorAdapter } from '@polku/adapter-kit';
import type { EventHandler } from '@polku/bus';
import type { Party, ReferralAwaitingConsentV1, ReferralRoutedV1, ReferralSubmittedV1 } from '@polku/contracts';
import { ConsentUnavailable, type ConsentDecider } from '@polku/consent-policy/client';
import { PolkuError, type Logger } from '@polku/service-kit';
import type { Queue } from 'bullmq';
import { enqueueDelivery } from './deliveries/delivery-queue';
import type { DeliveryJobData } from './domain/delivery-job';
import { disclosureGate, type GateAnswer } from './domain/disclosure-gate';
import { planDeliveries, recipientKey } from './domain/plan-deliveries';
import { fromWire } from './domain/wire';
import type { ReferralStore } from './store/referral-store';

export interface ReferralHandlerDeps {
  store: ReferralStore;
  queue: Queue<DeliveryJobData>;
  adapters: readonly SectorAdapter[];
  decider: ConsentDecider;
  publicUrl: string;
  attempts: number;
}

/**
 * `submitted` → remember its routing facts and whom consent is about; `routed` → a delivery job
 * per party an adapter serves that consent (or statute, or a self-referral) covers and that has
 * none yet; `awaiting-consent` → the recipient waits (a queued job is stopped by the check at
 * delivery time). The router routes again when consent arrives, which queues what now may go.
 */
export function referralHandler(deps: ReferralHandlerDeps): EventHandler {
  return async (event, context) => {
    if (event.type === 'fi.polku.referral.submitted.v1') {
      const { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt, referralId, subjectRef, submitter } = fromWire<ReferralSubmittedV1>(event).data;
      await deps.store.saveFacts(referralId, { needCodes, urgency, municipalityCode, ageBand, language, legalBasis, submittedAt });
      await deps.store.saveSubject(referralId, { ...(subjectRef ? { subjectRef } : {}), submitterRole: submitter.role, legalBasis });
      return;
    }
    if (event.type === 'fi.polku.referral.awaiting-consent.v1') {
      const { referralId, recipient } = fromWire<ReferralAwaitingConsentV1>(event).data;
      if (!deps.adapters.some((adapter) => adapter.serves(recipient))) return;
      const key = recipientKey(recipient);
      const current = await deps.store.recipient(referralId, key);
      if (current?.state === 'delivered') return;
      await deps.store.markRecipient(referralId, key, { state: 'waiting', reason: 'awaiting-consent', ...(current?.deliveryId ? { deliveryId: current.deliveryId } : {}) });
      context.logger.info({ referralId, recipient: key }, 'delivery waits for consent');
      return;
    }
    if (event.type !== 'fi.polku.referral.routed.v1') return;
    const routed = fromWire<ReferralRoutedV1>(event);
    const { referralId } = routed.data;
    const facts = await deps.store.facts(referralId);
    const subject = await deps.store.subject(referralId);
    // Both events share a partition, so `submitted` is always handled first; missing facts mean lost state.
    if (!facts || !subject) throw new PolkuError('ADAPTER_HOST_FACTS_MISSING', `no submitted facts for referral ${referralId}`);
    const { topic, partition, offset } = context;
    const jobs = planDeliveries({ routed, facts, subject, adapters: deps.adapters, publicUrl: deps.publicUrl, position: { topic, partition, offset } });
    for (const job of jobs) {
      const { delivery } = job;
      const key = recipientKey(delivery.recipient);
      const logger = context.logger.child({ deliveryId: delivery.deliveryId, adapterId: job.adapterId, recipient: key });
      const current = await deps.store.recipient(referralId, key);
      if (current?.state === 'queued' || current?.state === 'delivered') {
        logger.info({ state: current.state }, 'delivery already queued');
        continue;
      }
      const gate = await askGate(deps.decider, job, logger);
      if (!gate.allowed) {
        await deps.store.markRecipient(referralId, key, { state: 'waiting', reason: gate.reason });
        logger.info({ reason: gate.reason }, 'delivery waits for consent');
        continue;
      }
      await deps.store.saveDelivery(referralId, { deliveryId: delivery.deliveryId, adapterId: job.adapterId, role: delivery.role, recipient: delivery.recipient, correlationId: routed.correlationid ?? routed.id });
      // A job stopped earlier for want of consent is replaced: consent now covers the recipient.
      const added = await enqueueDelivery(deps.queue, job, { attempts: deps.attempts, replaceFailed: current?.state === 'stopped' });
      await deps.store.markRecipient(referralId, key, { state: 'queued', deliveryId: delivery.deliveryId });
      logger.info({ added, basis: gate.allowed ? gate.basis : undefined }, added ? 'delivery queued' : 'delivery already queued');
    }
  };
}

/**
 * Without an answer from the consent service the job is queued anyway: its worker asks again
 * before every attempt and never delivers without a yes, retrying with backoff meanwhile.
 */
async function askGate(decider: ConsentDecider, job: DeliveryJobData, logger: Logger): Promise<GateAnswer | { allowed: true; basis: 'asked-at-delivery' }> {
  try {
    return await disclosureGate(decider, job.subject, job.delivery.recipient as Party);
  } catch (error) {
    if (!(error instanceof ConsentUnavailable)) throw error;
    logger.warn({ code: error.code }, 'consent service did not answer; the delivery asks again before sending');
    return { allowed: true, basis: 'asked-at-delivery' };
  }
}
