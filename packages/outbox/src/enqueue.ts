import { EventInvalidError } from '@polku/bus';
import { validateEvent, type CloudEvent } from '@polku/contracts';
import type { Sql } from '@polku/db';

/** The channel a committed outbox row wakes the relay on. */
export const OUTBOX_CHANNEL = 'polku_outbox';

/**
 * Writes `event` to the outbox inside the caller's transaction: it is published if and only if
 * the transaction commits. Validated here, as the bus would, so a broken event fails the request
 * that made it rather than the relay later.
 * @throws EventInvalidError (nothing written)
 */
export async function enqueue(tx: Sql, topic: string, event: CloudEvent): Promise<void> {
  const result = validateEvent(event);
  if (!result.ok) throw new EventInvalidError(result.errors);
  await tx.query('INSERT INTO outbox (topic, message_key, event) VALUES ($1, $2, $3)', [topic, event.subject, JSON.stringify(event)]);
  // Delivered when (and only when) the transaction commits.
  await tx.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}
