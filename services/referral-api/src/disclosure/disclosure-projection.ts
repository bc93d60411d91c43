import type { Bus } from '@polku/bus';
import { TOPICS, type DisclosureDisclosedV1, type DisclosureDisclosedV2, type DisclosureRefusedV1 } from '@polku/contracts';
import type { Database } from '@polku/db';
import { startProjection, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';
import { DISCLOSURE_TABLES, sqlDisclosureStore } from './disclosure-store';

export const DISCLOSURE_PROJECTION = 'disclosure-log';

export interface DisclosureProjectionOptions {
  db: Database;
  bus: Bus;
  logger: Logger;
  /** @defaultValue TOPICS.disclosure (tests give a fresh topic) */
  topic?: string;
  /** @defaultValue disclosure-log (tests give their own) */
  name?: string;
  watchMs?: number;
}

/**
 * The queryable disclosure log, from the disclosure topic (kept five years), in PostgreSQL: a
 * projection, so it rebuilds from the topic by itself.
 */
export function startDisclosureProjection(options: DisclosureProjectionOptions): Promise<RunningProjection> {
  const { topic = TOPICS.disclosure, name = DISCLOSURE_PROJECTION, ...runtime } = options;
  return startProjection({
    ...runtime,
    spec: {
      name,
      topics: [topic],
      tables: DISCLOSURE_TABLES,
      partitionConcurrency: 3,
      async apply(tx, event) {
        const store = sqlDisclosureStore(tx);
        // v1 entries (written before the fields were listed) stay readable; they have no `fields`.
        if (event.type === 'fi.polku.disclosure.disclosed.v1') await store.add({ outcome: 'disclosed', ...(event.data as unknown as DisclosureDisclosedV1) });
        else if (event.type === 'fi.polku.disclosure.disclosed.v2') await store.add({ outcome: 'disclosed', ...(event.data as unknown as DisclosureDisclosedV2) });
        else if (event.type === 'fi.polku.disclosure.refused.v1') await store.add({ outcome: 'refused', ...(event.data as unknown as DisclosureRefusedV1) });
      },
    },
  });
}
