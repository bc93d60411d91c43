import type { FastifyInstance } from 'fastify';
import { registerActionRoutes } from './action-routes';
import { registerBulkRoutes } from './bulk-routes';
import type { DeadLetterRouteDeps } from './deps';
import { registerReadRoutes } from './read-routes';

/**
 * The console's dead-letter API (docs/dead-letters.md). Register after `registerApiKeyAuth`:
 * every route needs a key; operators act and read, auditors read, everyone else gets 403.
 */
export async function registerDeadLetterRoutes(app: FastifyInstance, deps: DeadLetterRouteDeps): Promise<void> {
  registerReadRoutes(app, deps);
  registerActionRoutes(app, deps);
  registerBulkRoutes(app, deps);
}
