import type { HandlerContext } from '@polku/bus';
import type { CloudEvent } from '@polku/contracts';
import type { Database } from '@polku/db';
import type { ProjectionSpec } from './projection-spec';

/**
 * One record, effectively once: in a single transaction, the event id is recorded as handled
 * (a copy already handled is skipped: a redelivery, or an event the outbox relay published
 * twice), the projection's rows are written, and the generation's progress on the partition moves.
 */
export async function applyOnce(db: Database, spec: ProjectionSpec, generation: number, event: CloudEvent, context: HandlerContext): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query('INSERT INTO projection_handled (projection, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [spec.name, event.id]);
    const fresh = rowCount === 1;
    if (fresh) await spec.apply(tx, event, context);
    await tx.query(
      `INSERT INTO projection_offsets (projection, generation, topic, partition, next_offset) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (projection, generation, topic, partition) DO UPDATE SET next_offset = GREATEST(projection_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
      [spec.name, generation, context.topic, context.partition, (BigInt(context.offset) + 1n).toString()],
    );
    return fresh;
  });
}
