import { randomUUID } from 'node:crypto';
import { purposeFor, refusalReasonCode, type Decision, type DisclosureBasis } from '@polku/consent-policy';
import type { ConsentDecider } from '@polku/consent-policy/client';
import { createEvent, derivedEventId, type CloudEvent, type DataCategory, type DisclosureDisclosedV2, type DisclosureRefusedV1, type Party, type Purpose } from '@polku/contracts';
import type { Database } from '@polku/db';
import type { DisclosureLog } from '@polku/disclosure-log';
import type { Vault } from '@polku/personal-data';
import type { Caller } from '@polku/service-kit';
import { detailsAccess } from '../domain/referral-access';
import {
  referralSubjectRef, releasedDetails, statuteCodeOf, systemKeyOf, VAULT_CATEGORIES,
  type ReleasedDetails, type VaultRecord,
} from '../domain/claim-check';
import type { StatusRecord } from '../domain/status-record';
import { DetailsErased, DetailsNotFound, DisclosureLogUnavailable, ReferralNotFound, ReferralNotRoutedYet } from '../errors';
import type { StatusStore } from '../status/status-store';

export const DISCLOSED_TYPE = 'fi.polku.disclosure.disclosed.v2';
export const REFUSED_TYPE = 'fi.polku.disclosure.refused.v1';

export interface ClaimCheckDeps {
  statusStore: StatusStore;
  vault: Vault;
  consent: ConsentDecider;
  /** Where every release and refusal is committed before it is answered. */
  db: Database;
  disclosureLog: DisclosureLog;
  pseudonymKey: Buffer;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

export interface ClaimRequest {
  referralId: string;
  caller: Caller;
  /** `X-Polku-User`: the opaque user the caller names, recorded in the log. */
  userRef?: string;
  /**
   * `X-Polku-Delivery`: the delivery an adapter fetches for. When it is the caller's own delivery
   * of this referral, the release is logged once per delivery (and set of fields), however often
   * the delivery is retried.
   */
  deliveryId?: string;
}

/** How the answer names the basis: the decision's (a statute by its label), or a self-referral. */
export type AnsweredBasis = DisclosureBasis | { kind: 'self-referral'; referralId: string };

export interface DetailsAnswer {
  referralId: string;
  disclosureId: string;
  dataCategories: DataCategory[];
  basis: AnsweredBasis;
  details: ReleasedDetails;
}

export type RefusalCode = 'NOT_A_RECIPIENT' | 'NOT_FOR_YOUR_SERVICE' | 'DISCLOSURE_REFUSED';

export type ClaimOutcome =
  | { released: true; answer: DetailsAnswer; subjectRef: string }
  | {
      released: false;
      code: RefusalCode;
      /** The decision's reason (`no-consent`, `banned`, `withdrawn`, ...) or `not-a-recipient`. */
      reason: string;
      reasonCode: DisclosureRefusedV1['reasonCode'];
      detail: string;
      disclosureId: string;
      subjectRef: string;
    };

/**
 * The claim check: may the caller's organisation have this referral's details, and which?
 * Every release and refusal is committed to the disclosure log (through the outbox, so it reaches
 * the topic even if Kafka is away this moment) before it is answered; a release that cannot be
 * logged is not made. The consent service is asked every time (no
 * cache), so a withdrawal stops the very next fetch; when it cannot answer, ConsentUnavailable
 * (503) is thrown and nothing is released.
 */
export async function claimDetails(deps: ClaimCheckDeps, request: ClaimRequest): Promise<ClaimOutcome> {
  const record = await deps.statusStore.getRecord(request.referralId);
  if (!record) throw new ReferralNotFound(request.referralId);
  // Before routing there are no recipients to check against: nothing is decided, so nothing is
  // logged. An adapter asking right after the routed event may be a moment ahead of this projection.
  if (!record.timeline.some((entry) => entry.type === 'routed')) throw new ReferralNotRoutedYet(record.referralId);
  const now = deps.now?.() ?? new Date();
  const purpose = purposeFor(record.legalBasis);
  const subjectRef = record.subjectRef ?? referralSubjectRef(record.referralId, deps.pseudonymKey);
  const log = { deps, request, record, subjectRef, purpose, at: now.toISOString() };

  // Per service, not per organisation: only the routed services this key acts for (principle 8).
  const access = detailsAccess(record, request.caller);
  if (!access.allowed) {
    const code = access.code === 'NOT_FOR_YOUR_SERVICE' ? 'NOT_FOR_YOUR_SERVICE' : 'NOT_A_RECIPIENT';
    return refuse(log, { code, reason: 'not-a-recipient', reasonCode: 'recipient-not-covered', detail: access.reason });
  }

  const decision = await decide(deps, record, subjectRef, access.parties, purpose);
  if (!decision.allowed) {
    return refuse(log, { code: 'DISCLOSURE_REFUSED', reason: decision.reason, reasonCode: refusalReasonCode(decision.reason), detail: decision.detail });
  }

  const vaulted = await deps.vault.get<VaultRecord>(record.referralId);
  if (!vaulted) throw new DetailsNotFound(record.referralId);
  if (vaulted.state === 'erased') throw new DetailsErased(record.referralId);
  const answeredBasis: AnsweredBasis = 'selfReferral' in decision ? { kind: 'self-referral', referralId: record.referralId } : decision.basis;
  const released = releasedDetails(vaulted.details, decision.dataCategories, record);
  // Only a delivery of this referral to one of the caller's own routed services counts as one.
  const deliveryId = access.parties.some((party) => request.deliveryId === deliveryIdOf(record.referralId, party)) ? request.deliveryId : undefined;
  const data: DisclosureDisclosedV2 = {
    disclosureId: randomUUID(),
    subjectRef,
    referralId: record.referralId,
    ...(deliveryId ? { deliveryId } : {}),
    recipient: recipientOf(request),
    dataCategories: decision.dataCategories as DisclosureDisclosedV2['dataCategories'],
    fields: released.fields as DisclosureDisclosedV2['fields'],
    purpose,
    basis: loggedBasis(decision.basis, record),
    at: log.at,
  };
  const disclosureId = await publishRelease(deps, data, createEvent(DISCLOSED_TYPE, {
    source: '/polku/referral-api', subject: subjectRef, time: log.at, data, correlationid: record.referralId,
    ...(data.basis.kind === 'consent' ? { legalbasis: 'consent', consentid: data.basis.consentId } : { legalbasis: data.basis.statute }),
  }));
  const answer: DetailsAnswer = {
    referralId: record.referralId,
    disclosureId,
    dataCategories: decision.dataCategories,
    basis: answeredBasis,
    details: released.details,
  };
  return { released: true, answer, subjectRef };
}

type Allowed = Extract<Decision, { allowed: true }>;
type Refused = Extract<Decision, { allowed: false }>;

/**
 * A verified person's own request to be helped is the basis for releasing it to the services it
 * was routed to (the referral id stands in as the consent in the log). The event says `resident`
 * only for that: the referral API sets the role from the resident e-service's key and its
 * verified assertion, never from the body, and a guardian's referral about a child is `guardian`
 * and goes through the consent service like any other. Otherwise the consent service decides
 * for a known subject, and a referral without a subject (its `submitted` was never seen) is refused.
 */
async function decide(deps: ClaimCheckDeps, record: StatusRecord, subjectRef: string, services: Party[], purpose: Purpose): Promise<(Allowed & { selfReferral?: true }) | Refused> {
  if (record.submitterRole === 'resident') {
    return { allowed: true, selfReferral: true, basis: { kind: 'consent', consentIds: [record.referralId] }, dataCategories: [...VAULT_CATEGORIES] };
  }
  if (record.subjectRef === undefined) {
    return { allowed: false, reason: 'no-consent', detail: 'The referral names no subject whose consent could allow a disclosure' };
  }
  // A key acting for several routed services (an adapter serving all of an NGO's) is asked about
  // each: the decision that allows the most categories wins, else the lead's (first) refusal.
  let best: Allowed | undefined;
  let firstRefusal: Refused | undefined;
  for (const service of services) {
    const decision = await decideFor(deps, record, subjectRef, service, purpose);
    if (decision.allowed) {
      if (!best || decision.dataCategories.length > best.dataCategories.length) best = decision;
    } else firstRefusal ??= decision;
  }
  return best ?? firstRefusal!;
}

async function decideFor(deps: ClaimCheckDeps, record: StatusRecord, subjectRef: string, recipient: Party, purpose: Purpose): Promise<Allowed | Refused> {
  const decision = await deps.consent.decide({
    subjectRef,
    recipient,
    dataCategories: VAULT_CATEGORIES,
    purpose,
    ...(record.legalBasis ? { legalBasis: record.legalBasis } : {}),
    // The submitting organisation holds the data and discloses it: a permission must name it among its disclosers.
    ...(record.submitterOrganisationId && record.submitterRole !== 'resident' ? { discloser: { organisationId: record.submitterOrganisationId } } : {}),
  });
  // Release only what was asked and allowed, whatever the answer lists.
  if (decision.allowed) {
    const dataCategories = VAULT_CATEGORIES.filter((c) => decision.dataCategories.includes(c));
    if (dataCategories.length === 0) return { allowed: false, reason: 'not-covered', detail: 'No category the vault holds may be disclosed' };
    return { ...decision, dataCategories };
  }
  return decision;
}

/**
 * The basis as the disclosure contract takes it: one consent id (the first of the decision's;
 * the contract has room for one) or the statute code.
 */
function loggedBasis(basis: DisclosureBasis, record: StatusRecord): DisclosureDisclosedV2['basis'] {
  if (basis.kind === 'consent') return { kind: 'consent', consentId: basis.consentIds[0] ?? record.referralId };
  const statute = statuteCodeOf(basis.statute) ?? (record.legalBasis !== 'consent' ? record.legalBasis : undefined);
  if (!statute) throw new Error(`the consent service named a statute this service does not know`);
  return { kind: 'statute', statute };
}

interface LogContext {
  deps: ClaimCheckDeps;
  request: ClaimRequest;
  record: StatusRecord;
  subjectRef: string;
  purpose: Purpose;
  at: string;
}

async function refuse(
  { deps, request, record, subjectRef, purpose, at }: LogContext,
  refusal: { code: RefusalCode; reason: string; reasonCode: DisclosureRefusedV1['reasonCode']; detail: string },
): Promise<ClaimOutcome> {
  const disclosureId = randomUUID();
  const data: DisclosureRefusedV1 = {
    disclosureId,
    subjectRef,
    referralId: record.referralId,
    recipient: recipientOf(request),
    dataCategories: [...VAULT_CATEGORIES] as DisclosureRefusedV1['dataCategories'],
    purpose,
    reasonCode: refusal.reasonCode,
    at,
  };
  await publish(deps, createEvent(REFUSED_TYPE, { source: '/polku/referral-api', subject: subjectRef, time: at, data, correlationid: record.referralId }));
  return { released: false, ...refusal, disclosureId, subjectRef };
}

/** Who asked: the key's organisation and system, and the user when the caller names one. */
function recipientOf(request: ClaimRequest): DisclosureDisclosedV2['recipient'] {
  const recipient: DisclosureDisclosedV2['recipient'] = { organisationId: request.caller.organisationId, systemId: systemKeyOf(request.caller.systemId) };
  if (request.userRef !== undefined) recipient.userRef = userKeyOf(request.userRef);
  return recipient;
}

/** The log's `userRef` takes `[A-Za-z0-9_-]`; a header's dots (e.g. an adapter id `ngo.email`) become `_`. */
function userKeyOf(userRef: string): string {
  return userRef.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The adapter host's delivery id of a referral to a party (plan-deliveries.ts derives it the same
 * way): a claim check names it to be logged once per delivery, and only its own counts.
 */
export const deliveryIdOf = (referralId: string, party: { organisationId: string; serviceId?: string }): string =>
  derivedEventId(referralId, `deliver/${party.serviceId ?? party.organisationId}`);

/**
 * Commits a release to the log. A release for a delivery is logged once per delivery and set of
 * fields (`disclosure_logged_deliveries`, in the same transaction): a retried delivery's repeated
 * claim check answers with the entry already logged and writes no second one.
 * @returns the id of the entry that records this release
 */
async function publishRelease(deps: ClaimCheckDeps, data: DisclosureDisclosedV2, event: CloudEvent<unknown>): Promise<string> {
  try {
    return await deps.db.transaction(async (tx) => {
      if (data.deliveryId) {
        const { rows } = await tx.query<{ disclosure_id: string }>(
          `INSERT INTO disclosure_logged_deliveries (writer, delivery_id, fields, disclosure_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (writer, delivery_id, fields) DO UPDATE SET writer = EXCLUDED.writer RETURNING disclosure_id`,
          [deps.disclosureLog.writer, data.deliveryId, data.fields.join(','), data.disclosureId],
        );
        if (rows[0] && rows[0].disclosure_id !== data.disclosureId) return rows[0].disclosure_id;
      }
      await deps.disclosureLog.record(tx, event as unknown as CloudEvent);
      return data.disclosureId;
    });
  } catch (cause) {
    throw new DisclosureLogUnavailable(cause);
  }
}

async function publish(deps: ClaimCheckDeps, event: CloudEvent<unknown>): Promise<void> {
  try {
    await deps.db.transaction((tx) => deps.disclosureLog.record(tx, event as unknown as CloudEvent));
  } catch (cause) {
    throw new DisclosureLogUnavailable(cause);
  }
}
