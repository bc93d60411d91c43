import type { AgeBand, DataCategory, LegalBasis, NeedCode, Urgency } from '@polku/contracts';

/**
 * The school system's API as this adapter speaks it (see README.md). Kept apart from
 * Polku's own types so a change on either side shows up in from-event / to-event.
 */

/**
 * `POST /referrals`: a referral for one of the school's services, with the personal details
 * the referral API released to the school (claim check) under `details`.
 */
export interface SchoolReferral {
  deliveryId: string;
  referralId: string;
  role: 'lead' | 'co-worker';
  service: { organisationId: string; serviceId?: string };
  needCodes: NeedCode[];
  urgency: Urgency;
  municipalityCode: string;
  ageBand: AgeBand;
  language: string;
  legalBasis: LegalBasis;
  submittedAt: string;
  callbackUrl: string;
  /** The categories the referral API released to this school (consent or statute). */
  dataCategories: DataCategory[];
  /** The released details, by category; only those in `dataCategories`. Personal data. */
  details: Record<string, unknown>;
}

/** The school's answer to `POST /referrals` on success. */
export interface SchoolReceipt {
  /** The school's case number, opaque. */
  externalRef?: string;
}

export const SCHOOL_ACTIONS = ['accept', 'decline', 'first-contact', 'close'] as const;
export const DECLINE_CODES = ['not-in-scope', 'no-capacity', 'already-client', 'insufficient-information', 'other-service-better'] as const;
export const CLOSE_CODES = ['helped', 'declined', 'unreachable', 'redirected', 'moved'] as const;
export const CONTACT_CHANNELS = ['phone', 'meeting', 'video', 'message', 'home-visit'] as const;

/** The school's callback to Polku. */
export interface SchoolCallback {
  callbackId: string;
  referralId: string;
  deliveryId?: string;
  action: (typeof SCHOOL_ACTIONS)[number];
  /** decline: one of DECLINE_CODES; close: one of CLOSE_CODES. */
  reasonCode?: string;
  /** first-contact: how contact was made. */
  channel?: (typeof CONTACT_CHANNELS)[number];
  /** accept: when the school will have contacted the family by. */
  contactDueBy?: string;
  occurredAt: string;
  externalRef?: string;
}
