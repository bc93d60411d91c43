import type { FastifyInstance } from 'fastify';
import { decideDisclosure } from '@polku/consent-policy';
import type { DataCategory, LegalBasis, Party, Purpose } from '@polku/contracts';
import { RequestInvalid, requireRole } from '@polku/service-kit';
import { resolveRecipient } from '../../domain/catalogue-refs';
import type { RouteDeps } from '../route-deps';
import { dataCategories, legalBasis, party, purpose, subjectRef } from '../schemas';

interface DecisionBody {
  subjectRef: string;
  recipient: Party;
  dataCategories: DataCategory[];
  purpose: Purpose;
  legalBasis?: LegalBasis;
  /** Who would disclose; a permission counts only when its disclosers cover it. */
  discloser?: Party;
  /** @defaultValue now */
  at?: string;
}

const decision = {
  type: 'object',
  properties: {
    allowed: { type: 'boolean' },
    basis: {
      type: 'object',
      properties: { kind: { type: 'string', enum: ['consent', 'statute'] }, consentIds: { type: 'array', items: { type: 'string' } }, statute: { type: 'string' } },
      required: ['kind'],
    },
    dataCategories,
    reason: { type: 'string', enum: ['no-consent', 'banned', 'expired', 'withdrawn', 'not-covered'] },
    detail: { type: 'string' },
  },
  required: ['allowed'],
};

/**
 * `POST /v1/decisions`: may this recipient receive these categories of the subject's data now?
 * For the backbone's own services (router, referral API, adapter host; role `backbone`) and operators. The recipient's
 * sector and accepted statutes come from the catalogue, not from the caller.
 */
export function registerPostDecision(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: DecisionBody }>(
    '/v1/decisions',
    {
      schema: {
        summary: 'Decide a disclosure (backbone services)',
        body: {
          type: 'object',
          properties: { subjectRef, recipient: party, discloser: party, dataCategories, purpose, legalBasis, at: { type: 'string', format: 'date-time' } },
          required: ['subjectRef', 'recipient', 'dataCategories', 'purpose'],
          additionalProperties: false,
        },
        response: { 200: decision },
      },
    },
    async (request) => {
      requireRole(request.caller, 'backbone', 'operator');
      const body = request.body;
      const recipient = resolveRecipient(deps.catalogue, body.recipient);
      if (Array.isArray(recipient)) throw new RequestInvalid(recipient);
      const consents = await deps.store.listBySubject(body.subjectRef);
      return decideDisclosure(consents, {
        subjectRef: body.subjectRef,
        recipient,
        dataCategories: body.dataCategories,
        purpose: body.purpose,
        ...(body.legalBasis ? { legalBasis: body.legalBasis } : {}),
        ...(body.discloser ? { discloser: body.discloser } : {}),
        at: body.at ? new Date(body.at) : deps.now(),
      });
    },
  );
}
