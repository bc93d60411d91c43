import type { CloudEvent } from '@polku/contracts';

/** An event the router handles, its data typed by its event type. */
export type CausingEvent<T> = CloudEvent<T>;

/**
 * The data of a consumed event as its type's interface. The bus has already validated the event
 * against the schema its `type` names, which is what makes this narrowing sound.
 */
export function asTyped<T>(event: CloudEvent): CausingEvent<T> {
  return event as unknown as CausingEvent<T>;
}
