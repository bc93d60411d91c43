import type { FastifyInstance } from 'fastify';
import type { AuditReason, OperatorAudit } from '@polku/operator-audit';
import { DEFAULT_ROTATION_OVERLAP_MS, errorCode, PolkuError, RequestInvalid, requireRole, type ApiKeyStore, type Caller, type CallerRole, type KeyAudit } from '@polku/service-kit';
import { problemResponse } from '../referrals/response-schemas';
import { issueBodySchema, keyListingSchema, keyParamsSchema, keyProblems, revokeBodySchema, rotateBodySchema, secretAnswerSchema } from './key-schemas';

export class KeyNotActive extends PolkuError {
  constructor() {
    super('KEY_NOT_ACTIVE', 'No active key has this id (unknown, revoked or expired)', { status: 404 });
  }
}

interface IssueBody {
  organisationId: string;
  systemId: string;
  roles: CallerRole[];
  services?: string[];
  expiresAt?: string;
  reason: string;
}

/** Who made a change, as the audit keeps it: the operator's key and system, never a person's name. */
function actorOf(caller: Caller): string {
  return `key:${caller.keyId} ${caller.organisationId}/${caller.systemId}`;
}

function audit(caller: Caller, reason: string): KeyAudit {
  return { actor: actorOf(caller), reason };
}

/**
 * The operators' key API (docs/keys.md): list, issue, revoke, rotate. Role `operator` only;
 * every change goes into `api_key_audit` with who, when and the stated reason, in the same
 * statement as the change. A secret is shown once, in the answer to issue or rotate.
 */
export function registerKeys(app: FastifyInstance, store: ApiKeyStore, operatorAudit: OperatorAudit): void {
  app.get('/v1/keys', {
    schema: {
      tags: ['keys'], summary: 'List API keys (operators)', description: 'Every key with its organisation, system, roles, services and state. Never a secret.',
      response: { 200: { description: 'The keys', type: 'object', properties: { keys: { type: 'array', items: keyListingSchema } }, required: ['keys'] }, ...keyProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    return { keys: await store.list() };
  });

  app.post<{ Body: IssueBody }>('/v1/keys', {
    schema: {
      tags: ['keys'], summary: 'Issue an API key (operators)', body: issueBodySchema,
      response: { 201: { description: 'The new key, shown only now', ...secretAnswerSchema }, 400: problemResponse('The body breaks the schema, or expiresAt is not in the future'), ...keyProblems },
    },
  }, async (request, reply) => {
    requireRole(request.caller, 'operator');
    const { reason, expiresAt, services, ...grant } = request.body;
    const expiry = expiresAt === undefined ? undefined : new Date(expiresAt);
    if (expiry && expiry.getTime() <= Date.now()) throw new RequestInvalid([{ field: '/expiresAt', in: 'body', message: 'must be in the future' }]);
    const { key, caller } = await store.issue({ ...grant, ...(services ? { services } : {}), ...(expiry ? { expiresAt: expiry } : {}) }, audit(request.caller, reason));
    request.log.info({ keyId: caller.keyId, organisationId: caller.organisationId, systemId: caller.systemId, by: request.caller.keyId }, 'api key issued');
    return reply.status(201).send({ keyId: caller.keyId, key });
  });

  app.post<{ Params: { id: string }; Body: { reason: string; reasonCode?: AuditReason['code']; ticket?: string } }>('/v1/keys/:id/revoke', {
    schema: {
      tags: ['keys'], summary: 'Revoke an API key at once (operators)', params: keyParamsSchema, body: revokeBodySchema,
      description: 'Written to the operator audit topic (who, the reason code and ticket, the key) before it runs, and refused with 503 AUDIT_UNAVAILABLE when that cannot be written; its outcome follows.',
      response: {
        200: { description: 'Revoked: its next request gets 401 KEY_REVOKED', type: 'object', properties: { keyId: { type: 'string' }, state: { type: 'string', enum: ['revoked'] } }, required: ['keyId', 'state'] },
        404: problemResponse('KEY_NOT_ACTIVE'), 503: problemResponse('AUDIT_UNAVAILABLE or DATABASE_UNAVAILABLE (Retry-After)'), ...keyProblems,
      },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    const { reason, reasonCode, ticket } = request.body;
    const actionId = await operatorAudit.requested({
      action: 'api-key.revoke', actor: request.caller, reason: { code: reasonCode ?? 'other', ...(ticket ? { ticket } : {}) }, target: { keyId: request.params.id },
    });
    let revoked: boolean;
    try {
      revoked = await store.revoke(request.params.id, audit(request.caller, reason));
    } catch (error) {
      await operatorAudit.completed(actionId, 'api-key.revoke', { outcome: 'failed', errorCode: errorCode(error) });
      throw error;
    }
    await operatorAudit.completed(actionId, 'api-key.revoke', revoked ? { outcome: 'succeeded' } : { outcome: 'failed', errorCode: 'KEY_NOT_ACTIVE' });
    if (!revoked) throw new KeyNotActive();
    request.log.info({ keyId: request.params.id, by: request.caller.keyId }, 'api key revoked');
    return { keyId: request.params.id, state: 'revoked' };
  });

  app.post<{ Params: { id: string }; Body: { reason: string; overlapSeconds?: number } }>('/v1/keys/:id/rotate', {
    schema: {
      tags: ['keys'], summary: 'Rotate an API key\'s secret (operators)', params: keyParamsSchema, body: rotateBodySchema,
      description: 'Same key id, a new secret shown only in this answer; the old secret keeps working until `previousSecretUntil` (default 24 h), then gets 401.',
      response: { 200: { description: 'The new key, shown only now', ...secretAnswerSchema }, 404: problemResponse('KEY_NOT_ACTIVE'), ...keyProblems },
    },
  }, async (request) => {
    requireRole(request.caller, 'operator');
    const overlapMs = request.body.overlapSeconds === undefined ? DEFAULT_ROTATION_OVERLAP_MS : request.body.overlapSeconds * 1000;
    const rotated = await store.rotate(request.params.id, audit(request.caller, request.body.reason), overlapMs);
    if (!rotated) throw new KeyNotActive();
    request.log.info({ keyId: request.params.id, by: request.caller.keyId, previousSecretUntil: rotated.previousSecretUntil }, 'api key rotated');
    return { keyId: request.params.id, ...rotated };
  });
}
