import type { ConsentRecord, ConsentStatus } from '@polku/consent-policy';
import { createEvent, derivedEventId, type CloudEvent } from '@polku/contracts';
import { once, type Database, type IdempotencyClaim, type Sql } from '@polku/db';
import { enqueue } from '@polku/outbox';
import type { Logger } from '@polku/service-kit';
import { ConsentNotActive, ConsentNotFound, ExpiryNotDue } from './errors';
import type { ExpiryQueue } from './expiry/expiry-queue';
import type { ConsentStore } from './projection/consent-store';

export const CONSENT_SOURCE = '/polku/consent';

const TYPE_OF: Record<ConsentStatus, string> = {
  active: 'fi.polku.consent.granted.v1',
  withdrawn: 'fi.polku.consent.withdrawn.v1',
  expired: 'fi.polku.consent.expired.v1',
};

export interface LedgerDeps {
  /** The outbox (and idempotency records) every change is written to. */
  db: Database;
  /** The compacted consent topic (a fresh one in tests). */
  topic: string;
  store: ConsentStore;
  expiry: ExpiryQueue;
  logger: Logger;
  now: () => Date;
}

/**
 * Every change to a consent: written to the outbox in one transaction (with the answer, when the
 * request carries an Idempotency-Key), so it is durable and reaches the topic, the log of record,
 * even while Kafka is away; then applied to the projection before the caller gets an answer, so a
 * decision asked right after sees it. A withdrawal therefore takes effect at once, broker or not.
 */
export interface Ledger {
  /**
   * Records a new consent; with `idempotency`, a retry gets `answer` again and records nothing.
   * @returns the answer given (the stored one on a retry)
   */
  grant<A>(record: ConsentRecord, answer: A, idempotency?: Omit<IdempotencyClaim, 'scope'>): Promise<{ answer: A; replayed: boolean }>;
  withdraw(consentId: string, by: { organisationId: string; keyId: string }): Promise<ConsentRecord>;
  /** The expiry job's work: ends the consent if it is still active and its validUntil has passed. */
  expire(consentId: string, jobId: string): Promise<void>;
  /** Applies a record read from the topic (ours or another instance's) and keeps its timer set. */
  project(record: ConsentRecord): Promise<void>;
}

export function createLedger(deps: LedgerDeps): Ledger {
  const write = (tx: Sql, record: ConsentRecord, id?: string) => {
    const event = createEvent(TYPE_OF[record.status], {
      source: CONSENT_SOURCE,
      subject: record.consentId,
      consentid: record.consentId,
      legalbasis: 'consent',
      data: record,
      ...(id ? { id } : {}),
    });
    return enqueue(tx, deps.topic, event as unknown as CloudEvent);
  };
  const publish = (record: ConsentRecord, id?: string) => deps.db.transaction((tx) => write(tx, record, id));
  const project = async (record: ConsentRecord) => {
    const held = await deps.store.apply(record);
    await deps.expiry.schedule(held, deps.now());
  };

  return {
    async grant(record, answer, idempotency) {
      const outcome = await deps.db.transaction(async (tx) => {
        if (!idempotency) {
          await write(tx, record);
          return { answer: { status: 201, body: answer }, replayed: false };
        }
        return once(tx, { scope: 'consent-record', ...idempotency }, { status: 201, body: answer }, () => write(tx, record));
      });
      if (outcome.replayed) return { answer: outcome.answer.body, replayed: true };
      await project(record);
      deps.logger.info({ consentId: record.consentId, kind: record.kind, recordedBy: record.recordedBy.organisationId }, 'consent recorded');
      return { answer, replayed: false };
    },
    async withdraw(consentId, by) {
      const current = await deps.store.get(consentId);
      if (!current) throw new ConsentNotFound(consentId);
      if (current.status !== 'active') throw new ConsentNotActive(consentId, current.status);
      const withdrawn: ConsentRecord = { ...current, status: 'withdrawn', changedAt: deps.now().toISOString() };
      await publish(withdrawn);
      const held = await deps.store.apply(withdrawn);
      deps.logger.info({ consentId, by: by.organisationId, keyId: by.keyId }, 'consent withdrawn');
      return held;
    },
    async expire(consentId, jobId) {
      const current = await deps.store.get(consentId);
      if (!current || current.status !== 'active' || current.validUntil === undefined) return;
      if (deps.now().getTime() < Date.parse(current.validUntil)) throw new ExpiryNotDue(consentId);
      // changedAt = validUntil and a derived id: a retried job publishes the very same event.
      const expired: ConsentRecord = { ...current, status: 'expired', changedAt: current.validUntil };
      await publish(expired, derivedEventId(jobId, 'expired'));
      await deps.store.apply(expired);
      deps.logger.info({ consentId }, 'consent expired');
    },
    project,
  };
}
