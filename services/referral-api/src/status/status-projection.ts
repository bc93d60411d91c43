import type { Bus } from '@polku/bus';
import { TOPICS, type CloudEvent, type DeliverySucceededV1 } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import type { Vault } from '@polku/personal-data';
import { startProjection, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';
import { applyEvent } from '../domain/apply-event';
import { sqlStatusStore, STATUS_TABLES } from './status-store';

export const STATUS_PROJECTION = 'referral-status';

export interface StatusProjectionOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  /** @defaultValue TOPICS.referral and TOPICS.delivery (tests give fresh topics) */
  topics?: { referral: string; delivery: string };
  /** @defaultValue referral-status (tests give their own) */
  name?: string;
  /** When a referral closes or is cancelled, its details are erased from `vault` this long after. */
  erasure?: { vault: Vault; afterMs: number };
  watchMs?: number;
}

/** The events after which a referral's details are only kept for the retention period. */
const ENDING_TYPES = new Set(['fi.polku.referral.closed.v1', 'fi.polku.referral.cancelled.v1']);

/**
 * The one status of every referral, from the referral topic (states) and the delivery topic
 * (attempts), in PostgreSQL: a projection, so an emptied or restored store, or `npm run rebuild --
 * referral-status`, replays the topics into the same answers.
 */
export function startStatusProjection(options: StatusProjectionOptions): Promise<RunningProjection> {
  const { topics = TOPICS, name = STATUS_PROJECTION, erasure, ...runtime } = options;
  return startProjection({
    ...runtime,
    spec: {
      name,
      topics: [topics.referral, topics.delivery],
      tables: STATUS_TABLES,
      // One referral's events share a partition and stay in order; different referrals are different rows.
      partitionConcurrency: 6,
      async apply(tx, event) {
        await project(tx, event);
        // From the event's own time, so a replay sets the very same date.
        if (erasure && ENDING_TYPES.has(event.type)) await erasure.vault.scheduleErasure(event.subject, new Date(Date.parse(event.time) + erasure.afterMs), tx);
      },
    },
  });
}

async function project(tx: Sql, event: CloudEvent): Promise<void> {
  const store = sqlStatusStore(tx);
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
