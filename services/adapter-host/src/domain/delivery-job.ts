import type { Delivery } from '@polku/adapter-kit';
import type { RecordPosition } from '@polku/bus';
import type { CloudEvent, ReferralRoutedV1 } from '@polku/contracts';
import type { DisclosureSubject } from './disclosure-gate';

/** One BullMQ job: a delivery and what is needed to report on it. Its job id is the delivery id. */
export interface DeliveryJobData {
  adapterId: string;
  delivery: Delivery;
  /** Whom consent is asked about before each attempt (a pseudonym, never a person). */
  subject: DisclosureSubject;
  /** The routed event that asked for it: the cause of every event about it, dead-lettered if it fails. */
  routed: CloudEvent<ReferralRoutedV1>;
  /** Where `routed` was read, for the dead letter's headers. */
  position?: RecordPosition;
  /** Set at the first failed attempt. */
  firstFailureAt?: string;
}

/** What the host keeps (in Redis) about a delivery so a callback can say who answered. */
export interface DeliveryRecord {
  deliveryId: string;
  adapterId: string;
  role: Delivery['role'];
  recipient: Delivery['recipient'];
  correlationId: string;
}
