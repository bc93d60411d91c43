import type { CloudEvent } from '@polku/contracts';
import type { HeaderMap } from './transport/types';

/** Structured-mode CloudEvents content type (CloudEvents Kafka protocol binding). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * Headers on every Polku event record. The value is the whole structured CloudEvent; these
 * copies let tools route, trace and browse without parsing it.
 */
export const EVENT_HEADERS = {
  contentType: 'content-type',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  correlationId: 'polku-correlation-id',
  causationId: 'polku-causation-id',
  /** W3C trace context. */
  traceparent: 'traceparent',
} as const;

/** Headers a dead letter carries next to the original record's own headers. */
export const DEAD_LETTER_HEADERS = {
  originalTopic: 'polku-dlq-original-topic',
  originalPartition: 'polku-dlq-original-partition',
  originalOffset: 'polku-dlq-original-offset',
  errorCode: 'polku-dlq-error-code',
  errorMessage: 'polku-dlq-error-message',
  attempts: 'polku-dlq-attempts',
  firstFailureAt: 'polku-dlq-first-failure-at',
  consumerGroup: 'polku-dlq-consumer-group',
} as const;

export function eventHeaders(event: CloudEvent): HeaderMap {
  const headers: HeaderMap = {
    [EVENT_HEADERS.contentType]: CLOUDEVENTS_CONTENT_TYPE,
    [EVENT_HEADERS.id]: event.id,
    [EVENT_HEADERS.type]: event.type,
    [EVENT_HEADERS.source]: event.source,
  };
  if (event.correlationid) headers[EVENT_HEADERS.correlationId] = event.correlationid;
  if (event.causationid) headers[EVENT_HEADERS.causationId] = event.causationid;
  if (event.traceparent) headers[EVENT_HEADERS.traceparent] = event.traceparent;
  return headers;
}
