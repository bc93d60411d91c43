import { randomUUID } from 'node:crypto';
import type { Bus } from '@polku/bus';
import { createEvent, derivedEventId, TOPICS, type CloudEvent, type OperatorActionCompletedV1, type OperatorActionRequestedV1 } from '@polku/contracts';
import { errorCode, PolkuError, withDeadline, type Caller, type Logger } from '@polku/service-kit';

export type OperatorAction = OperatorActionRequestedV1['action'];
export type AuditReason = OperatorActionRequestedV1['reason'];

/**
 * Who asks: a system by its API key (a `Caller` is one), or a person signed in to the console's
 * pages, by the identity provider's subject. Never taken from a request body.
 */
export type AuditActor =
  | Pick<Caller, 'keyId' | 'organisationId' | 'systemId'>
  | { person: { subject: string }; organisationId: string; systemId: string };

/** What an operator asked for, as written before it runs. */
export interface AuditRequest {
  action: OperatorAction;
  actor: AuditActor;
  reason: AuditReason;
  target?: OperatorActionRequestedV1['target'];
  filter?: OperatorActionRequestedV1['filter'];
  counts?: OperatorActionRequestedV1['counts'];
}

export interface AuditOutcome {
  outcome: OperatorActionCompletedV1['outcome'];
  errorCode?: string;
  counts?: OperatorActionCompletedV1['counts'];
}

/** The audit topic could not take the record of an action: the action is refused (503, try again). */
export class AuditUnavailable extends PolkuError {
  constructor(cause: unknown) {
    super('AUDIT_UNAVAILABLE', 'The operator audit could not be written, so the action was not carried out; try again shortly', {
      status: 503, retryable: true, retryAfterSeconds: 5, cause,
    });
  }
}

export interface OperatorAuditOptions {
  bus: Bus;
  logger: Logger;
  /** The service writing, as the events' source (`/polku/<service>`). */
  service: string;
  /** @defaultValue TOPICS.operatorAction */
  topic?: string;
  /** How long an audit write may take before the action is refused. @defaultValue 5000 */
  timeoutMs?: number;
}

export interface OperatorAudit {
  /**
   * Writes what is about to be done, acknowledged by every in-sync replica, and gives the action's
   * id. Throws `AuditUnavailable` when that fails: the caller must not carry the action out.
   */
  requested(request: AuditRequest): Promise<string>;
  /** Appends how the action ended. Never throws: the action has happened; a failed write is logged with the action id. */
  completed(actionId: string, action: OperatorAction, outcome: AuditOutcome): Promise<void>;
}

/**
 * Written straight to Kafka, not through the outbox: the rule is that the record is on the audit
 * topic before the action runs, and that the action is refused when it cannot be.
 */
export function createOperatorAudit(options: OperatorAuditOptions): OperatorAudit {
  const topic = options.topic ?? TOPICS.operatorAction;
  const timeoutMs = options.timeoutMs ?? 5000;
  const source = `/polku/${options.service}`;
  const publish = (event: CloudEvent<unknown>) => withDeadline(options.bus.publish(topic, event as CloudEvent), timeoutMs, 'the operator audit topic');

  return {
    async requested(request) {
      const actionId = randomUUID();
      const actor = actorOf(request.actor);
      const data: OperatorActionRequestedV1 = {
        actionId,
        action: request.action,
        actor,
        reason: request.reason,
        ...(request.target ? { target: request.target } : {}),
        ...(request.filter ? { filter: request.filter } : {}),
        ...(request.counts ? { counts: request.counts } : {}),
        requestedAt: new Date().toISOString(),
      };
      try {
        await publish(createEvent('fi.polku.operator-action.requested.v1', { source, subject: actionId, data }));
      } catch (error) {
        options.logger.error({ code: errorCode(error), err: error, action: request.action }, 'operator audit not written: action refused');
        throw new AuditUnavailable(error);
      }
      options.logger.info({ actionId, action: request.action, ...actor, reason: request.reason.code }, 'operator action audited');
      return actionId;
    },
    async completed(actionId, action, outcome) {
      const data: OperatorActionCompletedV1 = {
        actionId, action, outcome: outcome.outcome,
        ...(outcome.errorCode ? { errorCode: outcome.errorCode } : {}),
        ...(outcome.counts ? { counts: outcome.counts } : {}),
        completedAt: new Date().toISOString(),
      };
      try {
        // Derived from the action id: a bulk replay's outcome written again after a restart is the same event.
        const id = derivedEventId(actionId, 'completed');
        await publish(createEvent('fi.polku.operator-action.completed.v1', { source, subject: actionId, id, causationid: actionId, correlationid: actionId, data }));
      } catch (error) {
        options.logger.error({ code: errorCode(error), err: error, actionId, action, outcome: outcome.outcome }, 'operator action outcome not audited');
      }
    },
  };
}

/** Only the actor's own fields: a `Caller` carries more (roles, services) that the audit does not name. */
function actorOf(actor: AuditActor): OperatorActionRequestedV1['actor'] {
  const { organisationId, systemId } = actor;
  return 'person' in actor ? { person: { subject: actor.person.subject }, organisationId, systemId } : { keyId: actor.keyId, organisationId, systemId };
}
