import type { Database } from '@polku/db';
import type { OutboxState } from '@polku/telemetry';

/** Unsent rows and the age of the oldest (the partial index `outbox_unsent` keeps this cheap). */
export async function outboxBacklog(db: Database): Promise<Omit<OutboxState, 'leader'>> {
  const { rows } = await db.query<{ n: string; age: string | null }>(
    'SELECT count(*) AS n, extract(epoch FROM now() - min(created_at)) AS age FROM outbox WHERE sent_at IS NULL',
  );
  return { unsent: Number(rows[0]?.n ?? 0), oldestUnsentSeconds: Math.max(0, Number(rows[0]?.age ?? 0)) };
}
