import { randomUUID } from 'node:crypto';
import type { Bus, ConsumerHandle } from '@polku/bus';
import type { ConsentRecord } from '@polku/consent-policy';
import type { Logger } from '@polku/service-kit';

const CONSENT_TYPES = new Set(['fi.polku.consent.granted.v1', 'fi.polku.consent.withdrawn.v1', 'fi.polku.consent.expired.v1']);

export interface ProjectionOptions {
  bus: Bus;
  topic: string;
  logger: Logger;
  /** Applies one record; must be idempotent (records of one consent arrive in order, others interleave). */
  apply: (record: ConsentRecord) => Promise<void>;
  /** @defaultValue 100 */
  pollMs?: number;
}

/**
 * Reads the whole consent topic into the projection and resolves once it has caught up (the
 * group's lag is 0); the consumer keeps running afterwards, so changes made by another instance
 * arrive too. A fresh group per start: every start reads from the beginning, and dedupe is off
 * because each record is the whole state and applying it again changes nothing.
 */
export async function startProjection(options: ProjectionOptions): Promise<ConsumerHandle> {
  const groupId = `consent.projection.${randomUUID()}`;
  const started = Date.now();
  let applied = 0;
  const handle = await options.bus.consume({
    groupId,
    topics: [options.topic],
    fromBeginning: true,
    dedupe: false,
    // Events of one consent share a partition, so order per consent holds; the store is atomic per key.
    partitionConcurrency: 3,
    handler: async (event) => {
      if (!CONSENT_TYPES.has(event.type)) return;
      await options.apply(event.data as unknown as ConsentRecord);
      applied += 1;
    },
  });
  try {
    await untilCaughtUp(options, groupId);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  options.logger.info({ groupId, applied, ms: Date.now() - started }, 'consent projection caught up');
  return handle;
}

async function untilCaughtUp(options: ProjectionOptions, groupId: string): Promise<void> {
  let lastReport = Date.now();
  for (;;) {
    const rows = await options.bus.lag(groupId, [options.topic]);
    const lag = rows.reduce((sum, row) => sum + row.lag, 0);
    if (rows.length > 0 && lag === 0) return;
    if (Date.now() - lastReport > 5000) {
      options.logger.info({ groupId, lag }, 'rebuilding the consent projection');
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}
