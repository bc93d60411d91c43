import { REPLAY_HEADERS, retryGroupFor, retryTopicFor, type Bus, type ConsumerHandle } from '@polku/bus';
import type { Database } from '@polku/db';
import { PolkuError, type Logger } from '@polku/service-kit';
import type { Queue } from 'bullmq';
import type { DeliveryJobData } from '../domain/delivery-job';
import { recipientKey } from '../domain/plan-deliveries';
import { deliveryLedger } from '../store/delivery-ledger';
import { referralStore } from '../store/referral-store';
import { enqueueDelivery } from './delivery-queue';

export interface DeliveryReplayOptions {
  bus: Bus;
  db: Database;
  queue: Queue<DeliveryJobData>;
  attempts: number;
  /** Who dead-letters the host's deliveries (the `by` of its dead letters): names its retry topic. */
  consumer: string;
  logger: Logger;
}

/**
 * An operator's replay of a delivery's dead letter (docs/dead-letters.md) arrives on the host's
 * own retry topic, naming the delivery in a header. The delivery is queued again as the ledger
 * planned it: same delivery id (the job id) and idempotency key, so a receiver that got it after
 * all drops the copy. The worker asks the consent service before the attempt, as always, so a
 * consent withdrawn meanwhile stops it (`delivery.failed` with the consent code): closed, not delivered.
 * Read only where the retry topic is provisioned.
 */
export async function startDeliveryReplays(options: DeliveryReplayOptions): Promise<ConsumerHandle | undefined> {
  const topic = retryTopicFor(options.consumer);
  if (!(await (await options.bus.admin()).listTopics()).includes(topic)) return undefined;
  const logger = options.logger.child({ component: 'delivery-replays' });
  return options.bus.consume({
    groupId: retryGroupFor(options.consumer),
    topics: [topic],
    fromBeginning: true,
    handler: async (_event, context) => {
      const deliveryId = context.headers[REPLAY_HEADERS.deliveryId];
      const entry = deliveryId ? await deliveryLedger(options.db).delivery(deliveryId) : undefined;
      if (!entry) throw new PolkuError('DELIVERY_UNKNOWN', `a replay names no delivery this host knows (${deliveryId ?? 'no delivery id header'})`, { retryable: false });
      if (entry.outcome === 'delivered') {
        logger.info({ deliveryId }, 'replayed delivery was made already: nothing queued');
        return;
      }
      const { outcome: _o, recordTries: _r, firstFailureAt: _f, notReadyTries: _n, ...plan } = entry.plan;
      const replayHeaders = { [REPLAY_HEADERS.count]: context.headers[REPLAY_HEADERS.count] ?? '1', [REPLAY_HEADERS.of]: context.headers[REPLAY_HEADERS.of] ?? '' };
      const job: DeliveryJobData = { ...plan, replayHeaders };
      await options.db.transaction(async (tx) => {
        await deliveryLedger(tx).saveDelivery(job);
        await referralStore(tx).recordOutcome(plan.delivery.referralId, recipientKey(plan.delivery.recipient), { state: 'queued', deliveryId: plan.delivery.deliveryId });
      });
      // The job of the delivery that failed for good is replaced; one still waiting or running is left to finish.
      const existing = await options.queue.getJob(plan.delivery.deliveryId);
      if (existing && ((await existing.isFailed()) || (await existing.isCompleted()))) await existing.remove();
      const added = await enqueueDelivery(options.queue, job, { attempts: options.attempts });
      logger.info({ deliveryId, added, replayCount: replayHeaders[REPLAY_HEADERS.count] }, 'dead-lettered delivery queued again by a replay');
    },
  });
}
