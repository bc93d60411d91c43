import { createHttpApp, type ServerTls, type Logger } from '@polku/service-kit';
import type { FastifyInstance } from 'fastify';
import { callbackRoutes, type CallbackRouteDeps } from './routes/callbacks/post-callback';

export interface AppDeps extends CallbackRouteDeps {
  logger: Logger;
  /** HTTPS, and mTLS with a client CA (`serverTls(config)`). @defaultValue plain HTTP */
  tls?: ServerTls | undefined;
  /** `postgres`, `redis` and `kafka` in the running host. */
  readiness?: Record<string, () => Promise<void>>;
}

/** The host's HTTP side: callbacks from sector systems, health, docs. No listen. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = await createHttpApp({
    logger: deps.logger,
    tls: deps.tls,
    title: 'Polku adapter host',
    version: '0.1.0',
    description: 'Callbacks from sector systems: accept, decline, first contact, close. Signed with the shared secret of each system.',
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
  });
  // Encapsulated, so the raw-body JSON parser applies to callbacks only.
  await app.register(async (scope) => callbackRoutes(scope, deps));
  return app;
}
