export { createOperatorAudit, AuditUnavailable, type OperatorAudit, type OperatorAuditOptions, type OperatorAction, type AuditReason, type AuditRequest, type AuditActor, type AuditOutcome } from './operator-audit';
export { reasonBodySchema, REASON_CODES } from './reason';
