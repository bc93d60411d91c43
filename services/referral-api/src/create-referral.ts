import { randomUUID } from 'node:crypto';
import { createEvent, type CloudEvent } from '@polku/contracts';
import { once, type Database, type IdempotencyClaim, type Sql, type StoredAnswer } from '@polku/db';
import { enqueue } from '@polku/outbox';
import type { Vault } from '@polku/personal-data';
import type { Caller } from '@polku/service-kit';
import type { ReferralRequest } from './domain/referral-request';
import type { Submitter } from './domain/submitter-of';
import { submittedData } from './domain/submitted-data';

export const SUBMITTED_TYPE = 'fi.polku.referral.submitted.v1';

/** The answer a submit gets, and a retried submit again. */
export interface SubmitAnswer {
  id: string;
  status: 'submitted';
  links: { self: string };
}

export interface ReferralIntake {
  db: Database;
  vault: Vault;
  /** Where `referral.submitted` goes: topicForType of it, or a test's fresh topic. */
  topic: string;
  pseudonymKey: Buffer;
}

/**
 * Creates a referral in one transaction: the personal part into the vault, `referral.submitted`
 * (routing attributes only) into the outbox, and with an Idempotency-Key the answer itself. So a
 * 202 means durable: the relay publishes the event whenever Kafka takes it, and a crash at any
 * point either leaves nothing or leaves exactly this referral, whose answer a retry gets again.
 */
export async function createReferral(
  intake: ReferralIntake,
  request: ReferralRequest,
  caller: Caller,
  submitter: Submitter,
  idempotency?: Omit<IdempotencyClaim, 'scope' | 'organisationId'>,
): Promise<{ answer: SubmitAnswer; replayed: boolean }> {
  const referralId = randomUUID();
  const now = new Date();
  const answer: StoredAnswer<SubmitAnswer> = { status: 202, body: { id: referralId, status: 'submitted', links: { self: `/v1/referrals/${referralId}` } } };
  const { identity } = submitter;
  const data = submittedData(request, { referralId, organisationId: caller.organisationId, role: submitter.role, identity, pseudonymKey: intake.pseudonymKey, now });
  const event = createEvent(SUBMITTED_TYPE, { source: '/polku/referral-api', subject: referralId, time: now.toISOString(), data, correlationid: referralId, legalbasis: request.legalBasis });
  const work = async (tx: Sql) => {
    await intake.vault.put(tx, referralId, personalPart(request, caller, submitter));
    await enqueue(tx, intake.topic, event as unknown as CloudEvent);
  };
  const outcome = await intake.db.transaction(async (tx) => {
    if (!idempotency) {
      await work(tx);
      return { answer, replayed: false };
    }
    return once(tx, { scope: 'referral-submit', organisationId: caller.organisationId, ...idempotency }, answer, () => work(tx));
  });
  return { answer: outcome.answer.body, replayed: outcome.replayed };
}

/** Everything personal in the request, with who sent it, as the vault keeps it. */
function personalPart(request: ReferralRequest, caller: Caller, { role, identity }: Submitter) {
  const child = identity ? { ...request.child, identityCode: identity.normalised } : request.child;
  return {
    child,
    guardians: request.guardians,
    contact: request.contact,
    description: request.description,
    submitter: { ...request.submitter, role, organisationId: caller.organisationId, systemId: caller.systemId },
  };
}
