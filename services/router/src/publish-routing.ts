import { createEvent, derivedEventId, type CloudEvent, type EventDataByType } from '@polku/contracts';
import type { Sql } from '@polku/db';
import { enqueue } from '@polku/outbox';

export const ROUTER_SOURCE = '/polku/router';

/** What every event of the router says about why it exists. */
export interface Cause {
  /** The id the new event's id is derived from: the causing event's, or a timer job's. */
  derivedFrom: string;
  /** The causing event, when there is one (a timer's cause is the event that set it). */
  causationid: string;
  correlationid: string;
  /** The referral's legal basis; absent only when the router never saw the referral. */
  legalbasis?: string | undefined;
}

/** The referral events the router publishes, by verb. */
export type RouterVerb = 'routed' | 'awaiting-consent' | 'sla-breached' | 'follow-up-due';

/**
 * Announces an event caused by another: written to the outbox in the handling's transaction, so
 * it is published (by the relay, in the order written) if and only if what the handling remembered
 * commits too. The id is derived from the cause and the purpose, so a handling run again (a job
 * retried after its transaction failed) writes the very same event.
 */
export async function publishCaused<V extends RouterVerb>(
  tx: Sql,
  /** The referral topic (a fresh one in tests). */
  topic: string,
  verb: V,
  referralId: string,
  cause: Cause,
  data: EventDataByType[`fi.polku.referral.${V}.v1`],
  /** What the id is derived for, when one cause publishes several events of a verb. @defaultValue verb */
  idPurpose: string = verb,
): Promise<string> {
  const event = createEvent(`fi.polku.referral.${verb}.v1`, {
    id: derivedEventId(cause.derivedFrom, idPurpose),
    source: ROUTER_SOURCE,
    subject: referralId,
    data,
    causationid: cause.causationid,
    correlationid: cause.correlationid,
    legalbasis: cause.legalbasis,
  });
  // The outbox takes untyped data and validates it against the type's schema; the typing above is what ties verb and data.
  await enqueue(tx, topic, event as unknown as CloudEvent);
  return event.id;
}
