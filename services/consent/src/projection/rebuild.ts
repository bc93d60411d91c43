import type { Bus } from '@polku/bus';
import type { ConsentRecord } from '@polku/consent-policy';
import type { Database } from '@polku/db';
import { startProjection, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';
import type { ExpiryQueue } from '../expiry/expiry-queue';
import { CONSENT_TABLES, sqlConsentStore } from './consent-store';

export const CONSENT_PROJECTION = 'consent';

/** v2 is written now; v1 records stay readable (a v1 record is a v2 one without the new fields). */
const CONSENT_TYPES = new Set([
  'fi.polku.consent.granted.v1', 'fi.polku.consent.withdrawn.v1', 'fi.polku.consent.expired.v1',
  'fi.polku.consent.granted.v2', 'fi.polku.consent.withdrawn.v2', 'fi.polku.consent.expired.v2',
]);

export interface ProjectionOptions {
  db: Database;
  bus: Bus;
  topic: string;
  logger: Logger;
  expiry: ExpiryQueue;
  now: () => Date;
  /** @defaultValue consent (tests give their own) */
  name?: string;
  watchMs?: number;
}

/**
 * The consent state from the compacted topic, in PostgreSQL: every record (another instance's
 * changes, and this one's own again) applied order-proof, its expiry timer set. A projection, so
 * a store emptied or restored, or `npm run rebuild -- consent`, replays the topic by itself.
 */
export function startConsentProjection(options: ProjectionOptions): Promise<RunningProjection> {
  const { topic, expiry, now, name = CONSENT_PROJECTION, ...runtime } = options;
  return startProjection({
    ...runtime,
    spec: {
      name,
      topics: [topic],
      tables: CONSENT_TABLES,
      // Events of one consent share a partition, so order per consent holds; the upsert is atomic per row.
      partitionConcurrency: 3,
      async apply(tx, event) {
        if (!CONSENT_TYPES.has(event.type)) return;
        const held = await sqlConsentStore(tx).apply(event.data as unknown as ConsentRecord);
        await expiry.schedule(held, now());
      },
    },
  });
}
