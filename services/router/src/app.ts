import type { FastifyInstance } from 'fastify';
import type { Database } from '@polku/db';
import { createHttpApp, sqlApiKeyStore, registerApiKeyAuth, type AuthOptions, type ServerTls, type Logger } from '@polku/service-kit';
import type { RouterTimers } from './handlers/router-timers';
import type { ReferralMemory } from './referral-memory';
import { registerGetTimers } from './routes/timers/get-timers';

export interface AppDeps {
  /** How callers are authenticated beyond the key: failed-authentication limit, person assertions (server.ts from config). */
  auth?: AuthOptions;
  logger: Logger;
  /** HTTPS, and mTLS with a client CA (`serverTls(config)`). @defaultValue plain HTTP */
  tls?: ServerTls | undefined;
  /** Holds the API keys (the same database as the rest of Polku). */
  db: Database;
  timers: RouterTimers;
  memory: ReferralMemory;
  /** Readiness checks by dependency name. */
  readiness: Record<string, () => Promise<void>>;
}

/** The router's HTTP side: health, readiness and the operators' timer view. No listen. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    title: 'Polku router',
    version: '0.1.0',
    description: 'Guidance routing: health, readiness and the service-level timers of a referral.',
    readiness: deps.readiness,
  });
  registerApiKeyAuth(app, sqlApiKeyStore(deps.db), deps.auth);
  registerGetTimers(app, deps);
  return app;
}
