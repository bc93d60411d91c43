import type { SectorAdapter } from '@polku/adapter-kit';
import type { HandlerContext } from '@polku/bus';
import type { CloudEvent, Party, ReferralRoutedV1 } from '@polku/contracts';
import { ConsentUnavailable, type ConsentDecider } from '@polku/consent-policy/client';
import { PolkuError, type Logger } from '@polku/service-kit';
import { jobTrace } from '@polku/telemetry';
import type { Queue } from 'bullmq';
import { enqueueDelivery } from './deliveries/delivery-queue';
import type { DeliveryJobData } from './domain/delivery-job';
import { disclosureGate, type GateAnswer } from './domain/disclosure-gate';
import { planDeliveries, recipientKey } from './domain/plan-deliveries';
import type { LedgerEntry } from './store/delivery-ledger';
import type { ReferralStore } from './store/referral-store';

export interface PlanRoutedDeps {
  /** Over the projection's transaction. */
  store: ReferralStore;
  queue: Queue<DeliveryJobData>;
  adapters: readonly SectorAdapter[];
  decider: ConsentDecider;
  publicUrl: string;
  attempts: number;
}

/** States in which a later `routed` leaves the recipient alone. */
const SETTLED = new Set(['queued', 'delivered', 'failed']);

/**
 * A `routed` event: for each party an adapter serves, queue its delivery unless it is queued or
 * settled already. The router routes again when consent arrives, which queues what now may go.
 */
export async function planRouted(deps: PlanRoutedDeps, routed: CloudEvent<ReferralRoutedV1>, context: HandlerContext): Promise<void> {
  const { referralId } = routed.data;
  const { store } = deps;
  const facts = await store.facts(referralId);
  const subject = await store.subject(referralId);
  // Both events share a partition, so `submitted` is always handled first; missing facts mean lost state.
  if (!facts || !subject) throw new PolkuError('ADAPTER_HOST_FACTS_MISSING', `no submitted facts for referral ${referralId}`);
  const { topic, partition, offset } = context;
  // Each job carries the trace of this handling, kept with its plan in the ledger too.
  const jobs = planDeliveries({ routed, facts, subject, adapters: deps.adapters, publicUrl: deps.publicUrl, position: { topic, partition, offset } }).map((job) => ({ ...job, ...jobTrace() }));
  for (const job of jobs) {
    const { delivery } = job;
    const key = recipientKey(delivery.recipient);
    const logger = context.logger.child({ deliveryId: delivery.deliveryId, adapterId: job.adapterId, recipient: key });
    // Locked until commit: the worker's outcome for this recipient waits for this transaction.
    const current = await store.recipient(referralId, key);
    if (current && SETTLED.has(current.state)) {
      logger.info({ state: current.state }, 'delivery already queued');
      continue;
    }
    const entry = await store.delivery(delivery.deliveryId);
    if (!current && entry) {
      await restoreFromLedger(deps, referralId, key, entry, logger);
      continue;
    }
    const gate = await askGate(deps.decider, job, logger);
    if (!gate.allowed) {
      await store.markRecipient(referralId, key, { state: 'waiting', reason: gate.reason });
      logger.info({ reason: gate.reason }, 'delivery waits for consent');
      continue;
    }
    // The recipient row first: it holds the lock that orders this against the worker's outcome.
    await store.markRecipient(referralId, key, { state: 'queued', deliveryId: delivery.deliveryId });
    await store.saveDelivery(job);
    // A job stopped earlier for want of consent is replaced: consent now covers the recipient.
    const added = await enqueueDelivery(deps.queue, job, { attempts: deps.attempts, replaceFailed: entry?.outcome === 'stopped' });
    logger.info({ added, basis: gate.basis }, added ? 'delivery queued' : 'delivery already queued');
  }
}

/**
 * The recipient's row is gone but the ledger knows the delivery: the projection was rebuilt (or
 * its tables emptied). What the worker did stands, and nothing is sent or asked again; a
 * delivery still under way keeps (or gets back) its job, a no-op while BullMQ holds it.
 */
async function restoreFromLedger(deps: PlanRoutedDeps, referralId: string, key: string, entry: LedgerEntry, logger: Logger): Promise<void> {
  const { deliveryId } = entry;
  if (entry.outcome) {
    await deps.store.recordOutcome(referralId, key, { state: entry.outcome, deliveryId });
    logger.info({ outcome: entry.outcome }, 'delivery settled earlier: restored from the ledger, nothing sent');
    return;
  }
  await deps.store.markRecipient(referralId, key, { state: 'queued', deliveryId });
  const added = await enqueueDelivery(deps.queue, entry.plan, { attempts: deps.attempts });
  logger.info({ added }, 'delivery under way: restored from the ledger');
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
