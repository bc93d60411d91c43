import type { Bus } from '@polku/bus';
import type { ConsentRecord, ConsentStatus } from '@polku/consent-policy';
import { createEvent, derivedEventId, type CloudEvent } from '@polku/contracts';
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
  bus: Bus;
  /** The compacted consent topic (a fresh one in tests). */
  topic: string;
  store: ConsentStore;
  expiry: ExpiryQueue;
  logger: Logger;
  now: () => Date;
}

/**
 * Every change to a consent: published first (Kafka is the log of record), then applied to the
 * projection before the caller gets an answer, so a decision asked right after sees it.
 */
export interface Ledger {
  grant(record: ConsentRecord): Promise<ConsentRecord>;
  withdraw(consentId: string, by: { organisationId: string; keyId: string }): Promise<ConsentRecord>;
  /** The expiry job's work: ends the consent if it is still active and its validUntil has passed. */
  expire(consentId: string, jobId: string): Promise<void>;
  /** Applies a record read from the topic (ours or another instance's) and keeps its timer set. */
  project(record: ConsentRecord): Promise<void>;
}

export function createLedger(deps: LedgerDeps): Ledger {
  const publish = (record: ConsentRecord, id?: string) => {
    const event = createEvent(TYPE_OF[record.status], {
      source: CONSENT_SOURCE,
      subject: record.consentId,
      consentid: record.consentId,
      legalbasis: 'consent',
      data: record,
      ...(id ? { id } : {}),
    });
    return deps.bus.publish(deps.topic, event as unknown as CloudEvent);
  };
  const project = async (record: ConsentRecord) => {
    const held = await deps.store.apply(record);
    await deps.expiry.schedule(held, deps.now());
  };

  return {
    async grant(record) {
      await publish(record);
      await project(record);
      deps.logger.info({ consentId: record.consentId, kind: record.kind, recordedBy: record.recordedBy.organisationId }, 'consent recorded');
      return record;
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
