import type { FastifyInstance } from 'fastify';
import type { Database } from '@polku/db';
import { createHttpApp, registerApiKeyAuth, sqlApiKeyStore, type AuthOptions, type Logger, type ServerTls } from '@polku/service-kit';
import type { GroupLagView } from './ops/lag';
import type { QueueView } from './ops/queues';
import { registerGetAlerts } from './routes/alerts/get-alerts';
import { registerGetOperatorActions } from './routes/audit/get-operator-actions';
import { registerGetLag } from './routes/lag/get-lag';
import { registerGetQueues } from './routes/queues/get-queues';
import { registerGetDeliveryTrace } from './routes/traces/get-delivery-trace';
import { registerGetEventTrace } from './routes/traces/get-event-trace';
import { registerGetIdempotencyKeyTrace } from './routes/traces/get-idempotency-key-trace';
import { registerGetReferralTrace } from './routes/traces/get-referral-trace';
import type { TraceReader } from './trace/trace-reader';
import { registerDeadLetterRoutes, type DeadLetterRouteDeps } from './dead-letters';
import { registerConsolePages, type PagesDeps } from './web/pages';

export interface AppDeps {
  logger: Logger;
  /** HTTPS, and mTLS with a client CA (`serverTls(config)`). @defaultValue plain HTTP */
  tls?: ServerTls | undefined;
  /** Failed-authentication limit (server.ts from config). */
  auth?: AuthOptions;
  /** The API keys, the console's read model and alerts. */
  db: Database;
  traces: TraceReader;
  lag: () => Promise<GroupLagView[]>;
  queues: () => Promise<QueueView[]>;
  /** The dead-letter register, replay and its operator audit (docs/dead-letters.md). */
  deadLetters: DeadLetterRouteDeps;
  /** Readiness checks by dependency name. */
  readiness: Record<string, () => Promise<void>>;
  /** The pages for people under `/ui/` (sign-in, sessions and what the pages read). @defaultValue no pages */
  pages?: Omit<PagesDeps, 'db' | 'lag' | 'queues' | 'traces' | 'deadLetters' | 'readiness'>;
}

/**
 * The console's JSON API for operators and auditors: traces, lag, queues, alerts and dead letters. It reads
 * ids and codes only and has no path to the vault (docs/console.md). No listen.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    title: 'Polku console',
    version: '0.1.0',
    description: 'What operators on call need: trace a referral, consumer lag, queues, alerts and dead letters with audited replay. Codes and ids only, never personal details.',
    readiness: deps.readiness,
  });
  registerApiKeyAuth(app, sqlApiKeyStore(deps.db), deps.auth);
  registerGetReferralTrace(app, deps);
  registerGetEventTrace(app, deps);
  registerGetDeliveryTrace(app, deps);
  registerGetIdempotencyKeyTrace(app, deps);
  registerGetLag(app, deps);
  registerGetQueues(app, deps);
  registerGetAlerts(app, deps);
  registerGetOperatorActions(app, deps);
  await registerDeadLetterRoutes(app, deps.deadLetters);
  if (deps.pages) {
    await registerConsolePages(app, { ...deps.pages, db: deps.db, lag: deps.lag, queues: deps.queues, traces: deps.traces, deadLetters: deps.deadLetters, readiness: deps.readiness });
  }
  return app;
}
