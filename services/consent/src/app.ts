import type { FastifyInstance } from 'fastify';
import { TOPICS } from '@polku/contracts';
import type { Database } from '@polku/db';
import { disclosureLog } from '@polku/disclosure-log';
import { createHttpApp, sqlApiKeyStore, registerApiKeyAuth, type AuthOptions, type Logger, type ServerTls } from '@polku/service-kit';
import { registerGetConsent } from './routes/consents/get-consent';
import { registerPostConsent } from './routes/consents/post-consent';
import { registerWithdrawConsent } from './routes/consents/withdraw-consent';
import { registerPostDecision } from './routes/decisions/post-decision';
import type { RouteDeps } from './routes/route-deps';
import { registerListConsents } from './routes/subjects/list-consents';
import { registerLookupConsents } from './routes/subjects/lookup-consents';

export interface AppDeps extends Omit<RouteDeps, 'disclosureLog'> {
  /** Where lookups are logged. @defaultValue the disclosure topic, writer `consent` */
  disclosureLog?: RouteDeps['disclosureLog'];
  /** How callers are authenticated beyond the key: failed-authentication limit, person assertions (server.ts from config). */
  auth?: AuthOptions;
  logger: Logger;
  /** HTTPS, and mTLS with a client CA (`serverTls(config)`). @defaultValue plain HTTP */
  tls?: ServerTls | undefined;
  /** Holds the API keys (the same database as the rest of Polku). */
  db: Database;
  /** Readiness checks by dependency name. */
  readiness: Record<string, () => Promise<void>>;
}

/** The consent ledger's HTTP side. No listen: `server.ts` listens, tests use `app.inject`. */
export async function buildApp(options: AppDeps): Promise<FastifyInstance> {
  const deps: RouteDeps & AppDeps = { ...options, disclosureLog: options.disclosureLog ?? disclosureLog({ topic: TOPICS.disclosure, writer: 'consent' }) };
  const app = await createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    title: 'Polku consent ledger',
    version: '0.1.0',
    description: 'Disclosure permissions and bans (703/2023): record, withdraw, list, receipts, and disclosure decisions for the backbone.',
    readiness: deps.readiness,
  });
  registerApiKeyAuth(app, sqlApiKeyStore(deps.db), deps.auth);
  registerPostConsent(app, deps, { path: '/v1/consents', kind: 'permission' });
  registerPostConsent(app, deps, { path: '/v1/bans', kind: 'ban' });
  registerWithdrawConsent(app, deps);
  registerGetConsent(app, deps);
  registerListConsents(app, deps);
  registerLookupConsents(app, deps);
  registerPostDecision(app, deps);
  return app;
}
