import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562) derived from the event that caused this one and what this
 * one is. A service that handles the same cause twice (a redelivery after a crash between
 * publishing and committing) then publishes an event with the same id, which every
 * consumer's dedupe drops: effectively once, without transactions.
 */
export function derivedEventId(causationId: string, purpose: string): string {
  const bytes = createHash('sha256').update(`${causationId}\n${purpose}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: custom
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
