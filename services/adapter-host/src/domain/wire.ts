import type { CloudEvent } from '@polku/contracts';

/**
 * Generated data types are interfaces without index signatures, the bus speaks the wire
 * shape. Safe both ways: the bus validates every event against its schema on publish and
 * on consume, by its `type`.
 */
export const toWire = <T>(event: CloudEvent<T>): CloudEvent => event as unknown as CloudEvent;
export const fromWire = <T>(event: CloudEvent): CloudEvent<T> => event as unknown as CloudEvent<T>;
