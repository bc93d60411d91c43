import type { FastifyInstance } from 'fastify';
import type { Database } from '@polku/db';
import { createHttpApp, registerApiKeyAuth, sqlApiKeyStore, type AuthOptions, type Logger, type ServerTls } from '@polku/service-kit';
import type { GroupLagView } from './ops/lag';
import type { QueueView } from './ops/queues';
import { registerGetAlerts } from './routes/alerts/get-alerts';
import { registerGetLag } from './routes/lag/get-lag';
import { registerGetQueues } from './routes/queues/get-queues';
import { registerGetDeliveryTrace } from './routes/traces/get-delivery-trace';
import { registerGetEventTrace } from './routes/traces/get-event-trace';
import { registerGetIdempotencyKeyTrace } from './routes/traces/get-idempotency-key-trace';
import { registerGetReferralTrace } from './routes/traces/get-referral-trace';
import type { TraceReader } from './trace/trace-reader';

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
  /** Readiness checks by dependency name. */
  readiness: Record<string, () => Promise<void>>;
}

/**
 * The console's JSON API for operators and auditors: traces, lag, queues and alerts. It reads
 * ids and codes only and has no path to the vault (docs/console.md). No listen.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    title: 'Polku console',
    version: '0.1.0',
    description: 'What operators on call need: trace a referral, consumer lag, queues and alerts. Codes and ids only, never personal details.',
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
  // MERGE: the dead-letter register, replay and operator audit (issue 12, built beside this) is
  // registered here by the lead: `await registerDeadLetterRoutes(app, deps.deadLetters)` from
  // ./dead-letters/, with its deps added to AppDeps and built in server.ts.
  return app;
}
