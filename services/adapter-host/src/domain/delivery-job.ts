import type { Delivery, DeliveryReceipt } from '@polku/adapter-kit';
import type { RecordPosition } from '@polku/bus';
import type { CloudEvent, DeliveryFailedV1, ReferralRoutedV1 } from '@polku/contracts';
import type { DataCategory } from '@polku/contracts';
import type { DisclosureSubject, LoggedBasis } from './disclosure-gate';

/**
 * One BullMQ job: a delivery and what is needed to report on it. Its job id is the delivery id.
 * Codes and ids only, no personal data: the host keeps it in PostgreSQL too, as the plan a lost
 * job is added again from.
 */
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
  /** The span that queued it (W3C traceparent): the delivery, its webhook and its outcome events continue that trace. */
  traceparent?: string;
  /**
   * What the worker decided, kept while it could not be recorded (PostgreSQL or, for a dead
   * letter, Kafka away): a later run records it and sends nothing again.
   */
  outcome?: PendingOutcome;
  /** How often the referral API was a moment behind the routing (details not ready); no attempt used. */
  notReadyTries?: number;
  /** How often recording `outcome` failed; times the next try. */
  recordTries?: number;
  /** Set when an operator replayed this delivery's dead letter: its replay count and origin travel on to a next dead letter. */
  replayHeaders?: Record<string, string>;
}

/** What became of a delivery, before it is written to the ledger and announced. */
export type PendingOutcome =
  | { kind: 'delivered'; receipt: DeliveryReceipt; attempts: number; at: string; disclosure?: DeliveryDisclosure }
  | { kind: 'stopped'; code: string; reason?: string; attempts: number; at: string }
  | { kind: 'failed'; lastError: DeliveryFailedV1['lastError']; message: string; attempts: number; firstFailureAt: string; at: string };

/** What the host keeps (in its delivery ledger) about a delivery so a callback can say who answered. */
export interface DeliveryRecord {
  deliveryId: string;
  adapterId: string;
  role: Delivery['role'];
  recipient: Delivery['recipient'];
  correlationId: string;
  /** The trace of the referral's delivery: a callback that brings no trace of its own continues it. */
  traceparent?: string;
}

/**
 * What a delivery disclosed to the external system, for its one disclosure-log entry: the
 * categories the last consent check allowed, exactly the fields of the delivery they release
 * (`deliveryRelease`), and the basis.
 */
export interface DeliveryDisclosure {
  /** Whose data: the referral's subject reference. */
  subjectRef: string;
  categories: DataCategory[];
  fields: string[];
  basis: LoggedBasis;
}
