import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseIdentityCode, subjectRefOf } from '@polku/personal-data';
import { Forbidden, PERSON_ASSERTION_HEADER, presentedKey, requirePerson } from '@polku/service-kit';
import type { Sql } from '@polku/db';
import { disclosureWindow } from '../../domain/disclosure-window';
import type { StatusRecord } from '../../domain/status-record';
import type { DisclosureStore } from '../../disclosure/disclosure-store';
import { problemResponse } from '../referrals/response-schemas';
import type { ConsentReader, RelayedPerson } from './consent-reader';
import { accessExportSchema } from './access-export-schema';

export interface AccessExportDeps {
  db: Sql;
  disclosures: DisclosureStore;
  consents: ConsentReader;
  pseudonymKey: Buffer;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/**
 * The right of access (GDPR art. 15) through the resident e-service: the referrals about the
 * person and their statuses, their consents as the consent service holds them, and who saw their
 * data (the disclosure log, two years back). Only for a `resident` key that presents the
 * e-service's verified assertion; the person is the assertion's, never a body's or a URL's.
 */
export function registerAccessExport(app: FastifyInstance, deps: AccessExportDeps): void {
  const now = deps.now ?? (() => new Date());
  app.get('/v1/me/access-export', {
    schema: {
      tags: ['right of access'],
      summary: 'Everything Polku holds about the person the resident e-service vouches for',
      description:
        'For the resident e-service only: a key with the role `resident` and the e-service\'s signed person assertion (`X-Polku-Person-Assertion`). ' +
        'Answers the referrals whose subject is the person (status and timeline, no other person\'s details), their consents and bans (from the consent service; ' +
        '`available: false` when it does not answer), and every release and refusal of their data in the last two years. Personal data: `Cache-Control: no-store`.',
      response: {
        200: { description: 'The person\'s access export', ...accessExportSchema },
        401: problemResponse('No valid API key; PERSON_ASSERTION_REQUIRED: a resident key without the person assertion; PERSON_ASSERTION_INVALID'),
        403: problemResponse('ACCESS_EXPORT_RESIDENT_ONLY: any key but the resident e-service\'s; NOT_A_RESIDENT_E_SERVICE: another key presenting a person assertion'),
      },
    },
  }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    // Any caller but the resident e-service: 403 with one stable code (a professional, an operator, an auditor alike).
    if (!request.caller.roles.includes('resident')) throw new Forbidden('The access export is for the resident e-service only, acting for the person it has identified', 'ACCESS_EXPORT_RESIDENT_ONLY');
    const person = requirePerson(request.caller);
    const identity = parseIdentityCode(person.identityCode);
    // The verifier checked the shape; a code whose check character is wrong names no one we hold.
    const subjectRef = identity ? subjectRefOf(identity.normalised, deps.pseudonymKey) : undefined;
    const at = now();
    const window = disclosureWindow({}, at, 'querystring');
    if (Array.isArray(window)) throw new Error('the default disclosure window is always valid');
    const [referrals, consents, disclosures] = subjectRef
      ? await Promise.all([referralsAbout(deps.db, subjectRef), deps.consents(subjectRef, relayedPerson(request)), deps.disclosures.list(subjectRef, window.from, window.to)])
      : [[], { available: true as const, consents: [] }, []];
    request.log.info({ organisationId: request.caller.organisationId, referrals: referrals.length, disclosures: disclosures.length, consents: consents.available }, 'access export answered');
    return {
      generatedAt: at.toISOString(),
      ...(subjectRef ? { subjectRef } : {}),
      referrals,
      consents,
      disclosures: { from: window.from.toISOString(), to: window.to.toISOString(), entries: disclosures },
    };
  });
}

/** The referrals whose subject is `subjectRef`: their state and timeline (types, times, services), oldest first. */
async function referralsAbout(db: Sql, subjectRef: string): Promise<object[]> {
  const { rows } = await db.query<{ record: StatusRecord }>(
    `SELECT record FROM referral_status WHERE record ->> 'subjectRef' = $1 ORDER BY record ->> 'submittedAt', referral_id`,
    [subjectRef],
  );
  return rows.map(({ record }) => ({
    referralId: record.referralId,
    state: record.state,
    ...(record.submittedAt ? { submittedAt: record.submittedAt } : {}),
    ...(record.needCodes ? { needCodes: record.needCodes } : {}),
    ...(record.lead ? { lead: record.lead } : {}),
    timeline: record.timeline.map((entry) => ({ type: entry.type, at: entry.at, ...(entry.lead ? { lead: entry.lead } : {}), ...(entry.recipient ? { recipient: entry.recipient } : {}), ...(entry.reasonCode ? { reasonCode: entry.reasonCode } : {}) })),
  }));
}

/** The e-service's own key and assertion as presented: the consent service checks them itself. */
function relayedPerson(request: FastifyRequest): RelayedPerson {
  const assertion = request.headers[PERSON_ASSERTION_HEADER];
  return { apiKey: presentedKey(request) ?? '', personAssertion: typeof assertion === 'string' ? assertion : '' };
}
