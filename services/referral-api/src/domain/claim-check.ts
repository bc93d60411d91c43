import { createHmac } from 'node:crypto';
import { pickReleased, releaseOf, STATUTES } from '@polku/consent-policy';
import type { DataCategory, Statute } from '@polku/contracts';
import type { StatusRecord } from './status-record';

/** The data categories the vault holds for a referral: what a details fetch asks the consent service for. */
export const VAULT_CATEGORIES: readonly DataCategory[] = ['identity', 'contact', 'guardians', 'need-description'];

/** The personal part of a referral as create-referral.ts seals it into the vault. */
export interface VaultRecord {
  child: { identityCode?: string; firstName: string; lastName: string; birthDate?: string };
  guardians: object[];
  contact: object;
  description: string;
  submitter?: object;
}

/** What a details answer holds: only the released categories, plus the routing codes (not personal). */
export interface ReleasedDetails {
  child?: { identityCode?: string; firstName: string; lastName: string; birthDate?: string };
  contact?: object;
  guardians?: object[];
  description?: string;
  needCodes?: string[];
  urgency?: string;
}

/**
 * Only the fields the released categories let go (`releaseOf`): need codes and urgency too belong
 * to `need-description` and come only with it. `fields` lists exactly what the answer holds, for
 * the log entry.
 */
export function releasedDetails(vault: VaultRecord, categories: readonly DataCategory[], record: StatusRecord): { details: ReleasedDetails; fields: string[] } {
  const { identityCode, firstName, lastName, birthDate } = vault.child;
  const child = { firstName, lastName, ...(identityCode !== undefined ? { identityCode } : {}), ...(birthDate !== undefined ? { birthDate } : {}) };
  const held = { child, contact: vault.contact, guardians: vault.guardians, description: vault.description, needCodes: record.needCodes, urgency: record.urgency };
  const { values, fields } = pickReleased(held, releaseOf(categories));
  return { details: values as ReleasedDetails, fields };
}

/**
 * The subject a self-referral without an identity code is logged under: a keyed hash of the
 * referral id (domain-separated from identity codes), in the subject-ref format. Stable per
 * referral; it does not link to the person's other referrals or consents.
 */
export function referralSubjectRef(referralId: string, pseudonymKey: Buffer): string {
  return `sr_${createHmac('sha256', pseudonymKey).update(`referral:${referralId}`).digest('base64url')}`;
}

/** The statute code of a decision's basis: the consent service names it by label (`LSL 25 §`). */
export function statuteCodeOf(statute: string): Statute | undefined {
  if (statute in STATUTES) return statute as Statute;
  const found = Object.entries(STATUTES).find(([, rule]) => rule.label === statute);
  return found?.[0] as Statute | undefined;
}

export function statuteLabelOf(code: string): string | undefined {
  return (STATUTES as Record<string, { label: string } | undefined>)[code]?.label;
}

/**
 * The system of a caller as the disclosure log's `systemId` (a catalogue key: lower-case
 * kebab-case, at most 64). Key system ids such as `education.school` are folded to that form.
 */
export function systemKeyOf(systemId: string): string {
  const folded = systemId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return folded || 'unknown';
}
