import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PolkuError } from './errors';
import type { ApiKeyStore, Caller, CallerRole } from './api-keys';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every route that is not public. */
    caller: Caller;
  }
}

export class NotAuthenticated extends PolkuError {
  constructor() {
    super('NOT_AUTHENTICATED', 'A valid API key is needed in the X-Api-Key header', { status: 401 });
  }
}

export class Forbidden extends PolkuError {
  constructor(reason: string) {
    super('FORBIDDEN', reason, { status: 403 });
  }
}

/**
 * Every route needs an API key unless its config says `public: true` (health, docs).
 * The key is read from `X-Api-Key` (or `Authorization: Bearer <key>`).
 */
export function registerApiKeyAuth(app: FastifyInstance, store: ApiKeyStore): void {
  app.decorateRequest('caller', null as unknown as Caller);
  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    const presented = presentedKey(request);
    const caller = presented ? await store.verify(presented) : undefined;
    if (!caller) throw new NotAuthenticated();
    request.caller = caller;
  });
}

function isPublic(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as { public?: boolean } | undefined;
  return config?.public === true || request.url.startsWith('/docs');
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const auth = request.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

export function requireRole(caller: Caller, ...roles: CallerRole[]): void {
  if (!roles.some((role) => caller.roles.includes(role))) {
    throw new Forbidden(`This needs one of the roles ${roles.join(', ')}; the key of ${caller.organisationId} has ${caller.roles.join(', ') || 'none'}`);
  }
}
