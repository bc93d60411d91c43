import type { ConsentRecord, ConsentStatus } from '@polku/consent-policy';
import { createEvent, derivedEventId, type CloudEvent } from '@polku/contracts';
import { once, type Database, type IdempotencyClaim, type Sql } from '@polku/db';
import { enqueue } from '@polku/outbox';
import { errorCode, withDeadline, type Logger } from '@polku/service-kit';
import type { Withdrawal, WithdrawalReason } from './domain/ownership';
import { ConsentNotActive, ConsentNotFound, ExpiryNotDue } from './errors';
import type { ExpiryQueue } from './expiry/expiry-queue';
import { sqlConsentStore } from './projection/consent-store';

export const CONSENT_SOURCE = '/polku/consent';

/** Producers write v2; the projection reads v1 and v2 (see docs/consent.md). */
const TYPE_OF: Record<ConsentStatus, string> = {
  active: 'fi.polku.consent.granted.v2',
  withdrawn: 'fi.polku.consent.withdrawn.v2',
  expired: 'fi.polku.consent.expired.v2',
};

export interface LedgerDeps {
  /** The consent records, the outbox and idempotency records. */
  db: Database;
  /** The compacted consent topic (a fresh one in tests). */
  topic: string;
  expiry: ExpiryQueue;
  logger: Logger;
  now: () => Date;
}

/**
 * Every change to a consent, in one transaction: the record in the projection's table (so a
 * decision asked right after already follows it), the event in the outbox (so it reaches the
 * topic, the log of record, even while Kafka is away), and with an Idempotency-Key the answer.
 * A withdrawal therefore takes effect at once, broker or not.
 */
export interface Ledger {
  /**
   * Records a new consent; with `idempotency`, a retry gets `answer` again and records nothing.
   * @returns the answer given (the stored one on a retry)
   */
  grant<A>(record: ConsentRecord, answer: A, idempotency?: Omit<IdempotencyClaim, 'scope'>): Promise<{ answer: A; replayed: boolean }>;
  /**
   * Withdraws an active consent. `authorise` sees the record as it stands (locked) and says who
   * withdraws, or throws: a refused withdrawal changes nothing.
   */
  withdraw(consentId: string, authorise: (current: ConsentRecord) => Withdrawal['by'], reason: WithdrawalReason): Promise<ConsentRecord>;
  /** The expiry job's work: ends the consent if it is still active and its validUntil has passed. */
  expire(consentId: string, jobId: string): Promise<void>;
}

export function createLedger(deps: LedgerDeps): Ledger {
  /** The record into the table and its event into the outbox; `id` for an event with a derived id. */
  const record = async (tx: Sql, consent: ConsentRecord, id?: string): Promise<ConsentRecord> => {
    const event = createEvent(TYPE_OF[consent.status], {
      source: CONSENT_SOURCE,
      subject: consent.consentId,
      consentid: consent.consentId,
      legalbasis: 'consent',
      data: consent,
      ...(id ? { id } : {}),
    });
    await enqueue(tx, deps.topic, event as unknown as CloudEvent);
    return sqlConsentStore(tx).apply(consent);
  };

  return {
    async grant(consent, answer, idempotency) {
      const outcome = await deps.db.transaction(async (tx) => {
        if (!idempotency) {
          await record(tx, consent);
          return { answer: { status: 201, body: answer }, replayed: false };
        }
        return once(tx, { scope: 'consent-record', ...idempotency }, { status: 201, body: answer }, async () => void (await record(tx, consent)));
      });
      if (outcome.replayed) return { answer: outcome.answer.body, replayed: true };
      // After the commit, and never holding the answer long: the consent is recorded and decisions
      // check its validity themselves; a timer that could not be set now is rebuilt from the records.
      await withDeadline(deps.expiry.schedule(consent, deps.now()), 1500, 'the expiry queue').catch((error) =>
        deps.logger.warn({ consentId: consent.consentId, code: errorCode(error) }, 'expiry timer not set now; it is rebuilt from the records'));
      deps.logger.info({ consentId: consent.consentId, kind: consent.kind, recordedBy: consent.recordedBy.organisationId }, 'consent recorded');
      return { answer, replayed: false };
    },
    async withdraw(consentId, authorise, reason) {
      const held = await deps.db.transaction(async (tx) => {
        const current = await sqlConsentStore(tx).get(consentId, { forUpdate: true });
        if (!current) throw new ConsentNotFound(consentId);
        const by = authorise(current);
        if (current.status !== 'active') throw new ConsentNotActive(consentId, current.status);
        const at = deps.now().toISOString();
        return record(tx, { ...current, status: 'withdrawn', changedAt: at, withdrawal: { by, reason, at } });
      });
      deps.logger.info({ consentId, by: held.withdrawal?.by.kind, reason }, 'consent withdrawn');
      return held;
    },
    async expire(consentId, jobId) {
      const expired = await deps.db.transaction(async (tx) => {
        const current = await sqlConsentStore(tx).get(consentId, { forUpdate: true });
        if (!current || current.status !== 'active' || current.validUntil === undefined) return false;
        if (deps.now().getTime() < Date.parse(current.validUntil)) throw new ExpiryNotDue(consentId);
        // changedAt = validUntil and a derived id: a retried job writes the very same event.
        await record(tx, { ...current, status: 'expired', changedAt: current.validUntil }, derivedEventId(jobId, 'expired'));
        return true;
      });
      if (expired) deps.logger.info({ consentId }, 'consent expired');
    },
  };
}
