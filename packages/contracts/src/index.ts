export type { CloudEvent } from './cloud-event';
export type { ValidationIssue } from './validation-issue';
export { validateEvent, knownEventTypes, dataSchemaIdOf, type ValidationResult } from './validate-event';
export { createEvent, type CreateEventFields } from './create-event';
export { ContractViolation } from './contract-violation';
export { parseEventType, schemaIdForType, type EventTypeParts } from './event-type-names';
export type * from './generated/index';
export { TOPICS, topicForType, type TopicName } from './topics';
export { derivedEventId } from './derived-event-id';
