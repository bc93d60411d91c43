import type { Bus, ConsumerHooks } from '@polku/bus';
import { TOPICS } from '@polku/contracts';
import type { Database, Sql } from '@polku/db';
import { startProjection, type ProjectionSpec, type RunningProjection } from '@polku/projection';
import type { Logger } from '@polku/service-kit';
import { eventRow, type EventRow } from '../domain/event-row';

/** The topics a trace spans: every event of a referral, its consents, deliveries and disclosures. */
export const CONSOLE_TOPICS = [TOPICS.referral, TOPICS.consent, TOPICS.delivery, TOPICS.disclosure] as const;

export const CONSOLE_TABLES = ['console_events'] as const;

async function insertRow(tx: Sql, row: EventRow): Promise<void> {
  await tx.query(
    `INSERT INTO console_events (event_id, type, topic, partition, "offset", time, referral_id, consent_id, subject_ref, correlation_id, causation_id, delivery_id, codes, disclosure)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (event_id) DO NOTHING`,
    [row.eventId, row.type, row.position.topic, row.position.partition, row.position.offset, row.time, row.referralId, row.consentId, row.subjectRef,
      row.correlationId, row.causationId, row.deliveryId, JSON.stringify(row.codes), row.disclosure ? JSON.stringify(row.disclosure) : null],
  );
}

/** The console's read model: one row per event of the four topics, ids and codes only. */
export const consoleProjectionSpec: ProjectionSpec = {
  name: 'console',
  topics: [...CONSOLE_TOPICS],
  tables: CONSOLE_TABLES,
  // Rows of different subjects never touch each other: the partitions may be applied at once.
  partitionConcurrency: 4,
  apply: async (tx, event, context) => insertRow(tx, eventRow(event, { topic: context.topic, partition: context.partition, offset: context.offset })),
};

export function startConsoleProjection(options: { db: Database; bus: Bus; logger: Logger; hooks?: ConsumerHooks }): Promise<RunningProjection> {
  return startProjection({ ...options, spec: consoleProjectionSpec });
}
