export { createBus, type Bus, type BusOptions } from './bus';
export type { Publisher } from './publisher';
export {
  CONSUME_DEFAULTS, type ConsumeOptions, type ConsumerHandle, type ConsumerHooks, type EventHandler, type HandlerContext, type RecordPosition,
} from './consume-options';
export { ensureTopics, deadLetterTopicFor, topicsToCreate, type TopicDefinition } from './topics';
export { consumerLag, type PartitionLag } from './lag';
export { CLOUDEVENTS_CONTENT_TYPE, DEAD_LETTER_HEADERS, EVENT_HEADERS } from './headers';
export { EventInvalidError, EventUnparseableError, defaultValidator, type EventValidator } from './validation';
export type { ManualDeadLetterReason } from './dead-letter';
export { REPLAY_HEADERS, consumerOf, replayCountOf, replayHeaders, replayedFrom, retryGroupFor, retryTopicFor } from './replay';
export type { BackoffOptions } from './retry';
export { createKafkajsTransport, type KafkajsTransportOptions } from './transport/kafkajs';
export { namespacedTransport } from './transport/namespaced';
export type * from './transport/types';
export { isRetriableKafkaError, retryRetriable } from './transport/retriable';
