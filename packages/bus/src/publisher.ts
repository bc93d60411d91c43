import type { CloudEvent } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import { countPublished } from '@polku/telemetry';
import { eventHeaders } from './headers';
import type { Sender } from './sender';
import type { OutgoingRecord } from './transport/types';
import { EventInvalidError, type EventValidator } from './validation';

export interface Publisher {
  /**
   * Validates `event` against its contract and sends it as a structured CloudEvent, keyed by
   * `event.subject` (a referral or consent id) so one subject's events stay in order.
   * Resolves once all in-sync replicas have it.
   * @throws EventInvalidError (code `EVENT_INVALID`) before anything is sent.
   */
  publish(topic: string, event: CloudEvent): Promise<void>;
  /** As `publish`, for several events in one request. All are validated before any is sent. */
  publishMany(topic: string, events: readonly CloudEvent[]): Promise<void>;
}

export interface PublisherOptions {
  sender: Sender;
  validate: EventValidator;
  logger: Logger;
}

export function createPublisher(options: PublisherOptions): Publisher {
  const { sender, validate, logger } = options;

  async function publishMany(topic: string, events: readonly CloudEvent[]): Promise<void> {
    const records = events.map((event) => toRecord(event, validate));
    await sender.send(topic, records);
    for (const event of events) {
      countPublished(topic, event.type);
      logger.debug({ eventId: event.id, eventType: event.type, correlationId: event.correlationid, topic }, 'event published');
    }
  }

  return {
    publishMany,
    publish: (topic, event) => publishMany(topic, [event]),
  };
}

function toRecord(event: CloudEvent, validate: EventValidator): OutgoingRecord {
  const result = validate(event);
  if (!result.ok) throw new EventInvalidError(result.errors);
  return { key: event.subject, value: JSON.stringify(event), headers: eventHeaders(event) };
}
