import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PolkuError } from './errors';
import { isPublicRoute } from './http-app';
import type { ApiKeyStore, Caller, CallerRole } from './api-keys';
import { PERSON_ASSERTION_HEADER, type PersonAssertionVerifier } from './person-assertion';

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
  constructor(reason: string, code = 'FORBIDDEN') {
    super(code, reason, { status: 403 });
  }
}

/** A route that acts for a person was called without the resident e-service's assertion. */
export class PersonAssertionRequired extends PolkuError {
  constructor() {
    super('PERSON_ASSERTION_REQUIRED', `This acts for a person: the resident e-service's signed assertion is needed in the ${PERSON_ASSERTION_HEADER} header`, { status: 401 });
  }
}

export interface AuthOptions {
  /**
   * How this service verifies the resident e-service's assertions about a person. Without it the
   * service acts for no person, and a request carrying an assertion is refused.
   */
  personAssertions?: PersonAssertionVerifier;
}

/**
 * Every route needs an API key unless its config says `public: true` (health, docs).
 * The key is read from `X-Api-Key` (or `Authorization: Bearer <key>`). A person reaches the
 * backbone only through a key with the `resident` role that also presents the e-service's
 * verified assertion (principle 8); any other key presenting one is refused.
 */
export function registerApiKeyAuth(app: FastifyInstance, store: ApiKeyStore, options: AuthOptions = {}): void {
  app.decorateRequest('caller', null as unknown as Caller);
  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    const presented = presentedKey(request);
    const caller = presented ? await store.verify(presented) : undefined;
    if (!caller) throw new NotAuthenticated();
    const assertion = request.headers[PERSON_ASSERTION_HEADER];
    if (assertion !== undefined) {
      if (!caller.roles.includes('resident')) throw new Forbidden('Only a resident e-service\'s key may vouch for a person', 'NOT_A_RESIDENT_E_SERVICE');
      if (!options.personAssertions) throw new Forbidden('This service acts for no person', 'PERSON_NOT_ACCEPTED_HERE');
      caller.person = await options.personAssertions(Array.isArray(assertion) ? assertion.join() : assertion);
    }
    request.caller = caller;
  });
}

function isPublic(request: FastifyRequest): boolean {
  return isPublicRoute(request.url, request.routeOptions.config);
}

/** The API key the caller presented (`X-Api-Key` or `Authorization: Bearer`), for relaying its own credentials onward. */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const auth = request.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

/** The person a resident e-service's call acts for; refuses a call that names none. */
export function requirePerson(caller: Caller): NonNullable<Caller['person']> {
  requireRole(caller, 'resident');
  if (!caller.person) throw new PersonAssertionRequired();
  return caller.person;
}

export function requireRole(caller: Caller, ...roles: CallerRole[]): void {
  if (!roles.some((role) => caller.roles.includes(role))) {
    throw new Forbidden(`This needs one of the roles ${roles.join(', ')}; the key of ${caller.organisationId} has ${caller.roles.join(', ') || 'none'}`);
  }
}
