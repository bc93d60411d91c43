import type { FastifyInstance } from 'fastify';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { Forbidden, RequestInvalid, requirePerson, requireRole } from '@polku/service-kit';
import { statuteLabelOf } from '../../domain/claim-check';
import { disclosureWindow } from '../../domain/disclosure-window';
import type { DisclosureEntry, DisclosureStore } from '../../disclosure/disclosure-store';
import { problemResponse } from '../referrals/response-schemas';
import { disclosuresAnswerSchema, lookupBodySchema, windowQuerySchema } from './disclosure-schemas';

export interface DisclosureLogDeps {
  store: DisclosureStore;
  pseudonymKey: Buffer;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

interface WindowQuery {
  from?: string;
  to?: string;
}

const common = {
  400: problemResponse('`from` or `to` is not a date, `to` is before `from`, or `from` reaches more than two years back; `errors` names the field'),
  401: problemResponse('No valid API key'),
};

/**
 * "Who received my data": every release and refusal of one subject's details, up to two years
 * back. Auditors ask by subject reference; a resident e-service asks for the person it has
 * proven, by identity code in a POST body (never in a URL), which is hashed at once.
 */
export function registerDisclosureLog(app: FastifyInstance, deps: DisclosureLogDeps): void {
  const now = deps.now ?? (() => new Date());

  async function answer(subjectRef: string, query: WindowQuery, where: string) {
    const window = disclosureWindow(query, now(), where);
    if (Array.isArray(window)) throw new RequestInvalid(window);
    const entries = await deps.store.list(subjectRef, window.from, window.to);
    return { subjectRef, from: window.from.toISOString(), to: window.to.toISOString(), disclosures: entries.map(view) };
  }

  app.get<{ Params: { ref: string }; Querystring: WindowQuery }>('/v1/subjects/:ref/disclosures', {
    schema: {
      tags: ['disclosure log'],
      summary: 'Who received this subject\'s data (auditors)',
      description: 'Every release and refusal of the subject\'s details in the window, oldest first. Needs the role `auditor`; a resident asks through POST /v1/subjects/disclosures/lookup.',
      params: { type: 'object', properties: { ref: { type: 'string', pattern: '^sr_[A-Za-z0-9_-]{43}$' } }, required: ['ref'] },
      querystring: windowQuerySchema,
      response: { 200: { description: 'The subject\'s disclosure log', ...disclosuresAnswerSchema }, ...common, 403: problemResponse('The key lacks the role auditor') },
    },
  }, async (request) => {
    requireRole(request.caller, 'auditor');
    const result = await answer(request.params.ref, request.query, 'querystring');
    request.log.info({ subjectRef: result.subjectRef, entries: result.disclosures.length, organisationId: request.caller.organisationId }, 'disclosure log read');
    return result;
  });

  app.post<{ Body: WindowQuery & { identityCode: string } }>('/v1/subjects/disclosures/lookup', {
    schema: {
      tags: ['disclosure log'],
      summary: 'Who received my data (the resident\'s own view)',
      description: 'For a resident e-service (role `resident`) with its signed assertion of the person: the identity code must be the person\'s own or a child\'s the assertion names them guardian of; it is hashed with the pseudonym key into the subject reference and never stored or logged. Same answer as the auditors\' view.',
      body: lookupBodySchema,
      response: { 200: { description: 'The resident\'s disclosure log', ...disclosuresAnswerSchema }, ...common, 403: problemResponse('The key lacks the role resident; NOT_THE_PERSON_OR_THEIR_CHILD: the code is neither the person\'s nor their child\'s') },
    },
  }, async (request) => {
    requireRole(request.caller, 'resident');
    const person = requirePerson(request.caller);
    const { identityCode, ...query } = request.body;
    const identity = parseIdentityCode(identityCode);
    if (!identity) throw new RequestInvalid([{ field: '/identityCode', in: 'body', message: 'is not a valid Finnish identity code (birth date, century sign or check character)' }]);
    // The e-service vouches for one person: their own log, or their children's, never anyone else's.
    const theirs = [person.identityCode, ...(person.guardianship?.childIdentityCodes ?? [])].map((code) => parseIdentityCode(code)?.normalised);
    if (!theirs.includes(identity.normalised)) throw new Forbidden('A person may read only their own disclosure log or their child\'s', 'NOT_THE_PERSON_OR_THEIR_CHILD');
    const result = await answer(subjectRefOf(identity.normalised, deps.pseudonymKey), query, 'body');
    request.log.info({ subjectRef: result.subjectRef, entries: result.disclosures.length, organisationId: request.caller.organisationId }, 'disclosure log read by the resident');
    return result;
  });
}

/** A statute basis also carries its label, so the log reads `LSL 25 §` as the law writes it. */
function view(entry: DisclosureEntry): DisclosureEntry | (DisclosureEntry & { basis: { kind: 'statute'; statute: string; label: string } }) {
  if (entry.outcome !== 'disclosed' || entry.basis.kind !== 'statute') return entry;
  const label = statuteLabelOf(entry.basis.statute);
  return label ? { ...entry, basis: { ...entry.basis, label } } : entry;
}
