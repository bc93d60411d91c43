import { randomUUID } from 'node:crypto';
import { currentTraceparent } from '@polku/telemetry';
import type { CloudEvent } from './cloud-event';
import { ContractViolation } from './contract-violation';
import { schemaIdForType } from './event-type-names';

export interface CreateEventFields<T> {
  source: string;
  subject: string;
  data: T;
  /** @defaultValue a new random UUID */
  id?: string;
  /** @defaultValue now, ISO 8601 UTC */
  time?: string;
  correlationid?: string;
  causationid?: string;
  /** @defaultValue the current span (`@polku/telemetry`): the request, event or job this event comes from */
  traceparent?: string;
  legalbasis?: string;
  consentid?: string;
}

const OPTIONAL = ['correlationid', 'causationid', 'traceparent', 'legalbasis', 'consentid'] as const;

/**
 * Wraps `data` in an envelope. It does not validate: the bus does that on publish, once.
 * It throws only for a malformed type string, because then no dataschema can be named at all.
 */
export function createEvent<T>(type: string, fields: CreateEventFields<T>): CloudEvent<T> {
  const dataschema = schemaIdForType(type);
  if (!dataschema) throw new ContractViolation([{ path: '/type', message: 'must match fi.polku.<entity>.<verb>.v<N>' }]);
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: fields.id ?? randomUUID(),
    source: fields.source,
    type,
    time: fields.time ?? new Date().toISOString(),
    subject: fields.subject,
    datacontenttype: 'application/json',
    dataschema,
    data: fields.data,
  };
  // Absent, not undefined: an `undefined` key would survive spread and look like a set extension.
  const traced = { ...fields, traceparent: fields.traceparent ?? currentTraceparent() };
  for (const key of OPTIONAL) {
    const value = traced[key];
    if (value !== undefined) event[key] = value;
  }
  return event;
}
