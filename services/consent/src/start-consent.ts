import type { Redis } from 'ioredis';
import type { Bus, ConsumerHandle } from '@polku/bus';
import type { Database } from '@polku/db';
import { TOPICS } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import { createExpiryQueue } from './expiry/expiry-queue';
import { createLedger, type Ledger } from './ledger';
import { redisConsentStore, type ConsentStore } from './projection/consent-store';
import { startProjection } from './projection/rebuild';

export interface ConsentDeps {
  bus: Bus;
  /** Where changes are written first (the outbox); the relay is the process's, not started here. */
  db: Database;
  /** The projection's connection. Not closed here. */
  redis: Redis;
  /** BullMQ's connection: `maxRetriesPerRequest: null`, as its workers need. Not closed here. */
  queueConnection: Redis;
  logger: Logger;
  /** @defaultValue TOPICS.consent (tests give a fresh one) */
  topic?: string;
  /** Prefix of the projection keys. @defaultValue 'polku' */
  redisPrefix?: string;
  /** Prefix of the BullMQ keys. @defaultValue 'polku' */
  queuePrefix?: string;
  /** @defaultValue the system clock */
  now?: () => Date;
}

export interface RunningConsent {
  ledger: Ledger;
  store: ConsentStore;
  /** Stops the projection consumer (the record in hand is finished), then the expiry worker. */
  stop(): Promise<void>;
}

/**
 * The consent ledger without its HTTP side. Resolves only once the projection has replayed the
 * whole topic, so whoever listens afterwards answers from a complete state. The expiry worker
 * starts after that: a timer that fell due while the service was down then reads the record's
 * latest state, not a half-built one.
 */
export async function startConsent(deps: ConsentDeps): Promise<RunningConsent> {
  const now = deps.now ?? (() => new Date());
  const store = redisConsentStore(deps.redis, deps.redisPrefix ?? 'polku');
  const expiry = createExpiryQueue({ connection: deps.queueConnection, prefix: deps.queuePrefix ?? 'polku', logger: deps.logger });
  const topic = deps.topic ?? TOPICS.consent;
  const ledger = createLedger({ db: deps.db, topic, store, expiry, logger: deps.logger, now });
  let projection: ConsumerHandle;
  try {
    projection = await startProjection({ bus: deps.bus, topic, logger: deps.logger, apply: ledger.project });
  } catch (error) {
    await expiry.close();
    throw error;
  }
  expiry.startWorker((consentId, jobId) => ledger.expire(consentId, jobId));
  return {
    ledger,
    store,
    async stop() {
      await projection.stop();
      await expiry.close();
    },
  };
}
