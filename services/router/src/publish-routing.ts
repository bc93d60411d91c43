import type { Bus } from '@polku/bus';
import { createEvent, derivedEventId, type CloudEvent, type EventDataByType } from '@polku/contracts';

export const ROUTER_SOURCE = '/polku/router';

/** Where the router publishes: the referral topic (a fresh one in tests). */
export interface Outbox {
  bus: Bus;
  topic: string;
}

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
 * Publishes an event caused by another. The id is derived from the cause and the type, so handling
 * the same cause again (a redelivery after a crash, a timer job retried) republishes the same id and
 * every consumer's dedupe drops the copy.
 */
export async function publishCaused<V extends RouterVerb>(
  outbox: Outbox,
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
  // The bus takes untyped data and validates it against the type's schema; the typing above is what ties verb and data.
  await outbox.bus.publish(outbox.topic, event as unknown as CloudEvent);
  return event.id;
}
