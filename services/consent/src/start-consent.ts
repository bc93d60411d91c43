import type { Redis } from 'ioredis';
import type { Bus } from '@polku/bus';
import type { Database } from '@polku/db';
import { TOPICS } from '@polku/contracts';
import type { Logger } from '@polku/service-kit';
import { createExpiryQueue, reconcileExpiries } from './expiry/expiry-queue';
import { createLedger, type Ledger } from './ledger';
import { sqlConsentStore, type ConsentStore } from './projection/consent-store';
import { startConsentProjection } from './projection/rebuild';

export interface ConsentDeps {
  bus: Bus;
  /** The consent records, the outbox and idempotency records; the relay is the process's, not started here. */
  db: Database;
  /** BullMQ's connection (expiry timers): `maxRetriesPerRequest: null`, as its workers need. Not closed here. */
  queueConnection: Redis;
  logger: Logger;
  /** @defaultValue TOPICS.consent (tests give a fresh one) */
  topic?: string;
  /** Prefix of the BullMQ keys. @defaultValue 'polku' */
  queuePrefix?: string;
  /** @defaultValue consent (tests give their own) */
  projectionName?: string;
  /** @defaultValue the system clock */
  now?: () => Date;
}

export interface RunningConsent {
  ledger: Ledger;
  store: ConsentStore;
  /** Puts back every expiry timer the consent records call for (after Redis lost them); a no-op for those that exist. */
  reconcile(): Promise<number>;
  /** Stops the projection (the record in hand is finished), then the expiry worker. */
  stop(): Promise<void>;
}

/**
 * The consent ledger without its HTTP side. Resolves once the projection has caught up with the
 * topic, so whoever listens afterwards answers from a complete state (a fresh or restored database
 * replays the topic first). The expiry worker starts after that, with every timer the records call
 * for in place: a timer that fell due while the service was down then reads the latest state.
 */
export async function startConsent(deps: ConsentDeps): Promise<RunningConsent> {
  const now = deps.now ?? (() => new Date());
  const store = sqlConsentStore(deps.db);
  const expiry = createExpiryQueue({ connection: deps.queueConnection, prefix: deps.queuePrefix ?? 'polku', logger: deps.logger });
  const topic = deps.topic ?? TOPICS.consent;
  const ledger = createLedger({ db: deps.db, topic, expiry, logger: deps.logger, now });
  const reconcile = () => reconcileExpiries(store, expiry, now());
  let projection;
  try {
    projection = await startConsentProjection({ db: deps.db, bus: deps.bus, topic, logger: deps.logger, expiry, now, ...(deps.projectionName ? { name: deps.projectionName } : {}) });
    const started = Date.now();
    await projection.caughtUp();
    const timers = await reconcile();
    deps.logger.info({ ms: Date.now() - started, generation: projection.generation(), timers }, 'consent projection caught up');
  } catch (error) {
    await projection?.stop();
    await expiry.close();
    throw error;
  }
  expiry.startWorker((consentId, jobId) => ledger.expire(consentId, jobId));
  const running = projection;
  return {
    ledger,
    store,
    reconcile,
    async stop() {
      await running.stop();
      await expiry.close();
    },
  };
}
